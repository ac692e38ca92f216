import { Anchor, Code, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { CopyValueButton } from '../../../../components/CopyValueButton';
import { SettingsCard } from '../../SettingsCard';
import classes from '../Inboxes.module.css';

/** A ready-to-run request that starts a conversation in this inbox. */
function curlExample(origin: string, inboxId: string): string {
  return `curl ${origin}/api/v1/conversations \\
  -H 'Authorization: Bearer <API token>' \\
  -H 'Content-Type: application/json' \\
  -d '{
    "inbox_id": "${inboxId}",
    "contact": { "name": "Ada Lovelace", "email": "ada@example.com" },
    "message": { "content": "Hello! Where is my order 1042?" },
    "idempotency_key": "order-1042-message-1"
  }'`;
}

/** How a source of one's own starts conversations in an API inbox and adds the customer's messages. */
export function ApiUsageCard({ inboxId }: { inboxId: string }) {
  const example = curlExample(window.location.origin, inboxId);
  return (
    <SettingsCard title="Create conversations by API" description="Your app, form or bridge sends what the customer writes; agents answer here.">
      <Text size="sm">
        Call with an API token of someone who works in this inbox (create one in{' '}
        <Anchor component={Link} to="/settings/tokens" size="sm">
          Settings → API tokens
        </Anchor>
        ). The contact is found by email or phone, or made.
      </Text>
      <Stack gap="xs" style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} id="curl-example-label">
          Start a conversation
        </Text>
        <Code block aria-labelledby="curl-example-label" className={classes.example} data-testid="curl-example">
          {example}
        </Code>
        <Group justify="flex-end">
          <CopyValueButton value={example} label="Copy example" />
        </Group>
      </Stack>
      <Text size="sm" c="dimmed">
        Sending the same <Code>idempotency_key</Code> again answers the conversation the first request made, so a retry never
        makes two. Add the customer&apos;s next messages with <Code>POST /api/v1/conversations/&#123;id&#125;/incoming-messages</Code>{' '}
        and <Code>{'{ content, idempotency_key }'}</Code>.
      </Text>
    </SettingsCard>
  );
}
