import { Button, Code, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEye, IconEyeOff, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { keys } from '../../../api/queries';
import type { Inbox } from '../../../api/types';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { CopyValueButton } from '../../../components/CopyValueButton';
import { SettingsCard } from '../SettingsCard';
import classes from './Inboxes.module.css';

const serverExample = `import { createHmac } from 'node:crypto';

const hash = createHmac('sha256', process.env.RAPPORT_IDENTITY_SECRET)
  .update(String(user.id))
  .digest('hex');`;

const pageExample = `<script>
  window.RapportSettings = {
    user: { id: '42', name: 'Ada Lovelace', email: 'ada@example.com', hash: '<the hash from step 1>' },
  };
</script>`;
/** The identity-verification secret (admins only), hidden until revealed, and what it is for. */
export function IdentityCard({ inboxId, secret }: { inboxId: string; secret: string }) {
  const [revealed, setRevealed] = useState(false);
  const [rotating, setRotating] = useState(false);
  const queryClient = useQueryClient();
  const rotate = async () => {
    const inbox = await api.post<Inbox>(`/inboxes/${inboxId}/identity-secret`);
    queryClient.setQueryData(keys.inbox(inboxId), inbox);
    setRevealed(true);
    notifications.show({ color: 'green', message: 'New identity secret generated. Put it on your server now: the old one no longer works.' });
  };
  return (
    <SettingsCard
      title="Identity verification"
      description="Proves to Rapport that a chat visitor really is the customer signed in to your website."
    >
      <List size="sm" spacing={4}>
        <List.Item>Your server signs the signed-in customer&apos;s user id with HMAC-SHA256, using this secret as the key.</List.Item>
        <List.Item>The page gives the widget the id and that signature (the hash) in <Code>window.RapportSettings</Code>.</List.Item>
        <List.Item>Rapport checks the signature, so nobody can pose as another customer and read their conversations.</List.Item>
      </List>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label="Identity secret"
          description="Keep it on your server. Never put it in the page or in the widget."
          value={revealed ? secret : '•'.repeat(32)}
          readOnly
          onFocus={(e) => revealed && e.currentTarget.select()}
          style={{ flex: '1 1 18rem', minWidth: 0 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="xs" wrap="nowrap">
          <Button
            variant="default"
            leftSection={revealed ? <IconEyeOff size={16} /> : <IconEye size={16} />}
            onClick={() => setRevealed((r) => !r)}
          >
            {revealed ? 'Hide' : 'Reveal'}
          </Button>
          <CopyValueButton value={secret} label="Copy secret" />
          <Button variant="default" color="red" leftSection={<IconRefresh size={16} />} onClick={() => setRotating(true)}>
            Generate new secret
          </Button>
        </Group>
      </Group>
      <ConfirmModal opened={rotating} onClose={() => setRotating(false)} title="Generate a new identity secret?" confirmLabel="Generate new secret" onConfirm={rotate}>
        Do this if the secret may have leaked. Signatures made with the current secret stop working at once: signed-in customers
        chat as unverified visitors until your server signs with the new one.
      </ConfirmModal>
      <Stack gap="md">
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            1. On your server, sign the customer&apos;s id (Node.js)
          </Text>
          <Code block className={classes.example}>
            {serverExample}
          </Code>
        </Stack>
        <Stack gap={6} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            2. In the page, before the snippet, pass the id and the hash
          </Text>
          <Code block className={classes.example}>
            {pageExample}
          </Code>
        </Stack>
      </Stack>
    </SettingsCard>
  );
}
