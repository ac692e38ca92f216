import { Button, Code, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEye, IconEyeOff, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../../api/client';
import { keys } from '../../../../api/queries';
import type { Inbox } from '../../../../api/types';
import { ConfirmModal } from '../../../../components/ConfirmModal';
import { CopyValueButton } from '../../../../components/CopyValueButton';
import { SettingsCard } from '../../SettingsCard';
import classes from '../Inboxes.module.css';

const verifyExample = `import { createHmac, timingSafeEqual } from 'node:crypto';

// rawBody: the request body exactly as received, before parsing the JSON
const id = req.headers['x-rapport-delivery'];
const timestamp = req.headers['x-rapport-timestamp'];
const expected = 'sha256=' + createHmac('sha256', process.env.RAPPORT_WEBHOOK_SECRET)
  .update(\`\${id}.\${timestamp}.\${rawBody}\`)
  .digest('hex');
const signature = req.headers['x-rapport-signature'] ?? '';
const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
const valid = fresh && signature.length === expected.length &&
  timingSafeEqual(Buffer.from(signature), Buffer.from(expected));`;

/** The secret that signs an API inbox's webhooks (admins only), hidden until revealed, and how a receiver checks it. */
export function WebhookSecretCard({ inboxId, secret }: { inboxId: string; secret: string }) {
  const [revealed, setRevealed] = useState(false);
  const [rotating, setRotating] = useState(false);
  const queryClient = useQueryClient();
  const rotate = async () => {
    const inbox = await api.post<Inbox>(`/inboxes/${inboxId}/webhook-secret`);
    queryClient.setQueryData(keys.inbox(inboxId), inbox);
    setRevealed(true);
    notifications.show({ color: 'green', message: 'New signing secret generated. Put it on your receiver now: replies from now on are signed with it.' });
  };
  return (
    <SettingsCard title="Signing secret" description="Your receiver checks with it that a webhook really comes from Rapport and was not changed on the way.">
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label="Webhook signing secret"
          description="Keep it on your receiving server only."
          value={revealed ? secret : '•'.repeat(32)}
          readOnly
          onFocus={(e) => revealed && e.currentTarget.select()}
          // 49 characters: the buttons wrap below rather than cut the revealed secret off.
          style={{ flex: '1 1 30rem', minWidth: 0 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="xs" wrap="wrap">
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
      <ConfirmModal opened={rotating} onClose={() => setRotating(false)} title="Generate a new signing secret?" confirmLabel="Generate new secret" onConfirm={rotate}>
        Do this if the secret may have leaked. Replies from now on are signed with the new secret only: your receiver refuses
        them until it checks with the new one.
      </ConfirmModal>
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          How to verify a webhook
        </Text>
        <List size="sm" spacing={4}>
          <List.Item>
            Each POST carries <Code className={classes.term}>X-Rapport-Delivery</Code> (its id, the same on every retry: drop one you already have),{' '}
            <Code className={classes.term}>X-Rapport-Timestamp</Code> (Unix seconds) and <Code className={classes.term}>X-Rapport-Signature: sha256=&lt;hex&gt;</Code>.
          </List.Item>
          <List.Item>
            The signature is HMAC-SHA256 with this secret as the key over <Code className={classes.term}>id.timestamp.body</Code>: the delivery id, a dot,
            the timestamp, a dot and the raw request body.
          </List.Item>
          <List.Item>Compare in constant time, and refuse a timestamp more than five minutes old.</List.Item>
        </List>
      </Stack>
      <Stack gap={6} style={{ minWidth: 0 }}>
        <Text size="sm" fw={600}>
          On your receiver (Node.js)
        </Text>
        <Code block className={classes.example}>
          {verifyExample}
        </Code>
      </Stack>
    </SettingsCard>
  );
}
