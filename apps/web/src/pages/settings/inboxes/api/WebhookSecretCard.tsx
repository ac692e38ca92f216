import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../../../api/client';
import { keys } from '../../../../api/queries';
import type { Inbox } from '../../../../api/types';
import { SettingsCard } from '../../SettingsCard';
import { SecretField, VerifySignatureHelp } from '../../SigningSecret';

/** The secret that signs an API inbox's webhooks (admins only), hidden until revealed, and how a receiver checks it. */
export function WebhookSecretCard({ inboxId, secret }: { inboxId: string; secret: string }) {
  const queryClient = useQueryClient();
  const rotate = async () => {
    const inbox = await api.post<Inbox>(`/inboxes/${inboxId}/webhook-secret`);
    queryClient.setQueryData(keys.inbox(inboxId), inbox);
    notifications.show({ color: 'green', message: 'New signing secret generated. Put it on your receiver now: replies from now on are signed with it.' });
  };
  return (
    <SettingsCard title="Signing secret" description="Your receiver checks with it that a webhook really comes from Rapport and was not changed on the way.">
      <SecretField
        label="Webhook signing secret"
        description="Keep it on your receiving server only."
        secret={secret}
        onRotate={rotate}
        rotateWarning="Do this if the secret may have leaked. Replies from now on are signed with the new secret only: your receiver refuses them until it checks with the new one."
      />
      <VerifySignatureHelp />
    </SettingsCard>
  );
}
