import { Badge, Button, DataList, Divider, Group, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../../../api/queries';
import type { ImapSettings, Inbox, SmtpSettings } from '../../../../api/types';
import { useFormat } from '../../../../lib/format';
import { CopyValueButton } from '../../../../components/CopyValueButton';
import { SettingsCard } from '../../SettingsCard';
import { InboxMembers } from '../InboxMembers';
import { ConnectionTest } from './ConnectionTest';

const statusBadges = {
  ok: { color: 'teal', label: 'Working' },
  failing: { color: 'red', label: 'Failing' },
  unknown: { color: 'gray', label: 'Not checked yet' },
} as const;

function ServerSummary({ server }: { server: SmtpSettings | ImapSettings }) {
  return (
    <Stack gap={2} style={{ minWidth: 0 }}>
      <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
        {server.host}:{server.port}
      </Text>
      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {[
          server.secure ? 'TLS' : 'STARTTLS when offered',
          `user ${server.user}`,
          'mailbox' in server ? `mailbox ${server.mailbox}` : null,
          server.password_set ? 'password saved' : 'no password saved',
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
    </Stack>
  );
}

/** An email inbox's address, mail servers and connection state; admins edit and test them. */
export function EmailSettingsCard({ inbox, editable, onEdit }: { inbox: Inbox; editable: boolean; onEdit: () => void }) {
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const narrow = useMediaQuery('(max-width: 36em)');
  const status = statusBadges[inbox.connection?.status ?? 'unknown'];
  const checkedAt = inbox.connection?.checked_at ?? null;
  return (
    <SettingsCard title="Email settings" description={editable ? 'Where mail comes from and how replies go out.' : 'Only admins can change an inbox.'}>
      <DataList labelWidth={170} gap="md" orientation={narrow ? 'vertical' : 'horizontal'}>
        <DataList.Item>
          <DataList.ItemLabel>Support address</DataList.ItemLabel>
          <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{inbox.email ?? '—'}</DataList.ItemValue>
        </DataList.Item>
        {inbox.forwarding_address && (
          <DataList.Item>
            <DataList.ItemLabel>Forwarding address</DataList.ItemLabel>
            <DataList.ItemValue>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {inbox.forwarding_address}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Mail forwarded here arrives in this inbox too, with or without IMAP.
                  </Text>
                </Stack>
                <CopyValueButton value={inbox.forwarding_address} label="Copy forwarding address" />
              </Group>
            </DataList.ItemValue>
          </DataList.Item>
        )}
        <DataList.Item>
          <DataList.ItemLabel>Connection</DataList.ItemLabel>
          <DataList.ItemValue>
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
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Incoming mail (IMAP)</DataList.ItemLabel>
          <DataList.ItemValue>
            {inbox.imap ? (
              <ServerSummary server={inbox.imap} />
            ) : (
              <Text size="sm" c="dimmed">
                Not fetched by IMAP
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Outgoing mail (SMTP)</DataList.ItemLabel>
          <DataList.ItemValue>
            {inbox.smtp ? (
              <ServerSummary server={inbox.smtp} />
            ) : (
              <Text size="sm" c="dimmed">
                Not set up
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      {editable && (inbox.imap || inbox.smtp) && (
        <>
          <Divider />
          <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
            <ConnectionTest
              request={{
                inbox_id: inbox.id,
                ...(inbox.imap ? { imap: { host: inbox.imap.host, port: inbox.imap.port, secure: inbox.imap.secure, user: inbox.imap.user, mailbox: inbox.imap.mailbox } } : {}),
                ...(inbox.smtp ? { smtp: { host: inbox.smtp.host, port: inbox.smtp.port, secure: inbox.smtp.secure, user: inbox.smtp.user } } : {}),
              }}
              onTested={() => void queryClient.invalidateQueries({ queryKey: keys.inbox(inbox.id) })}
            />
            <Button variant="light" leftSection={<IconPencil size={16} />} onClick={onEdit}>
              Edit email settings
            </Button>
          </Group>
        </>
      )}
      <Divider />
      <InboxMembers ids={inbox.member_ids} />
    </SettingsCard>
  );
}
