import { Badge, Button, Code, DataList, Divider, Group, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import type { Inbox } from '../../../../api/types';
import { CopyValueButton } from '../../../../components/CopyValueButton';
import { useFormat } from '../../../../lib/format';
import { SettingsCard } from '../../SettingsCard';
import { InboxMembers } from '../InboxMembers';

function deliveryStatus(inbox: Inbox): { color: string; label: string } {
  if (inbox.webhook_disabled_at) return { color: 'red', label: 'Switched off' };
  switch (inbox.connection?.status) {
    case 'ok':
      return { color: 'teal', label: 'Working' };
    case 'failing':
      return { color: 'red', label: 'Failing' };
    default:
      return { color: 'gray', label: 'Not checked yet' };
  }
}

/** An API inbox's webhook at a glance: where replies go, whether they arrive, and who works in the inbox. */
export function WebhookCard({ inbox, editable, onEdit }: { inbox: Inbox; editable: boolean; onEdit: () => void }) {
  const fmt = useFormat();
  const narrow = useMediaQuery('(max-width: 36em)');
  const status = deliveryStatus(inbox);
  const checkedAt = inbox.connection?.checked_at ?? null;
  return (
    <SettingsCard
      title="Webhook"
      description={
        <>
          Every agent reply is POSTed here as JSON: <Code>{'{ id, event: "message.created", conversation, message }'}</Code>.
          {editable ? '' : ' Only admins can change an inbox.'}
        </>
      }
    >
      <DataList labelWidth={170} gap="md" orientation={narrow ? 'vertical' : 'horizontal'}>
        <DataList.Item>
          <DataList.ItemLabel>Webhook URL</DataList.ItemLabel>
          <DataList.ItemValue>
            {inbox.webhook_url ? (
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere', minWidth: 0 }} data-testid="webhook-url">
                  {inbox.webhook_url}
                </Text>
                <CopyValueButton value={inbox.webhook_url} label="Copy URL" size="compact-sm" style={{ flexShrink: 0 }} />
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                Not set
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Delivery</DataList.ItemLabel>
          <DataList.ItemValue>
            <Stack gap={4}>
              <Group gap="xs" wrap="wrap">
                <Badge variant="light" color={status.color}>
                  {status.label}
                </Badge>
                {checkedAt && (
                  <Text size="xs" c="dimmed" component="time" dateTime={checkedAt} title={fmt.dateTime(checkedAt)}>
                    checked {fmt.relative(checkedAt)}
                  </Text>
                )}
              </Group>
              {!checkedAt && !inbox.webhook_disabled_at && (
                <Text size="xs" c="dimmed">
                  Rapport finds out when it delivers the next reply.
                </Text>
              )}
            </Stack>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      {editable && (
        <Group justify="flex-end">
          <Button variant="light" leftSection={<IconPencil size={16} />} onClick={onEdit}>
            Edit webhook
          </Button>
        </Group>
      )}
      <Divider />
      <InboxMembers ids={inbox.member_ids} />
    </SettingsCard>
  );
}
