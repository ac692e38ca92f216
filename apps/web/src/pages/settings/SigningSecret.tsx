// The secret that signs Rapport's webhooks (an API inbox's, an outgoing webhook's): hidden until
// revealed, copied, rotated after a confirmation; and how a receiver checks a signature with it.
import { Button, Code, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { IconEye, IconEyeOff, IconRefresh } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { ConfirmModal } from '../../components/ConfirmModal';
import { CopyValueButton } from '../../components/CopyValueButton';
import classes from './SigningSecret.module.css';

interface SecretFieldProps {
  label: string;
  description?: string;
  secret: string;
  /** Asks the server for a new secret; the field then shows it. */
  onRotate: () => Promise<unknown>;
  /** What rotating does to the receiver, said in the confirmation. */
  rotateWarning: ReactNode;
}

export function SecretField({ label, description, secret, onRotate, rotateWarning }: SecretFieldProps) {
  const [revealed, setRevealed] = useState(false);
  const [rotating, setRotating] = useState(false);
  const rotate = async () => {
    await onRotate();
    setRevealed(true);
  };
  return (
    <>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label={label}
          description={description}
          value={revealed ? secret : '•'.repeat(32)}
          readOnly
          onFocus={(e) => revealed && e.currentTarget.select()}
          // 49 characters: the buttons wrap below rather than cut the revealed secret off.
          style={{ flex: '1 1 30rem', minWidth: 0 }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group gap="xs" wrap="wrap">
          <Button variant="default" leftSection={revealed ? <IconEyeOff size={16} /> : <IconEye size={16} />} onClick={() => setRevealed((r) => !r)}>
            {revealed ? 'Hide' : 'Reveal'}
          </Button>
          <CopyValueButton value={secret} label="Copy secret" />
          <Button variant="default" color="red" leftSection={<IconRefresh size={16} />} onClick={() => setRotating(true)}>
            Generate new secret
          </Button>
        </Group>
      </Group>
      <ConfirmModal opened={rotating} onClose={() => setRotating(false)} title="Generate a new signing secret?" confirmLabel="Generate new secret" onConfirm={rotate}>
        {rotateWarning}
      </ConfirmModal>
    </>
  );
}

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

/** How a receiver verifies a Rapport webhook, with a Node.js example. `eventHeader`: the POSTs also say their event. */
export function VerifySignatureHelp({ eventHeader = false }: { eventHeader?: boolean }) {
  return (
    <>
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          How to verify a webhook
        </Text>
        <List size="sm" spacing={4}>
          <List.Item>
            Each POST carries <Code className={classes.term}>X-Rapport-Delivery</Code> (its id, the same on every retry: drop one you already have),{' '}
            <Code className={classes.term}>X-Rapport-Timestamp</Code> (Unix seconds)
            {eventHeader && (
              <>
                , <Code className={classes.term}>X-Rapport-Event</Code> (such as <Code className={classes.term}>message.created</Code>)
              </>
            )}{' '}
            and <Code className={classes.term}>X-Rapport-Signature: sha256=&lt;hex&gt;</Code>.
          </List.Item>
          <List.Item>
            The signature is HMAC-SHA256 with this secret as the key over <Code className={classes.term}>id.timestamp.body</Code>: the delivery id, a dot,
            the timestamp, a dot and the raw request body.
          </List.Item>
          <List.Item>Compare in constant time, and refuse a timestamp more than five minutes old.</List.Item>
        </List>
      </Stack>
      <Stack gap={6} style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} id="verify-example-label">
          On your receiver (Node.js)
        </Text>
        <Code block className={classes.example} aria-labelledby="verify-example-label" data-testid="verify-example">
          {verifyExample}
        </Code>
        <Group justify="flex-end">
          <CopyValueButton value={verifyExample} label="Copy verification example" size="compact-sm" />
        </Group>
      </Stack>
    </>
  );
}
