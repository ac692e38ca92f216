import { Anchor, Badge, Button, DataList, Divider, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconExternalLink, IconPencil } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { keys, useChannel } from '../../../../api/queries';
import type { ChannelField, ChannelInfo, Inbox } from '../../../../api/types';
import { CopyField } from '../../../../components/CopyField';
import { useFormat } from '../../../../lib/format';
import { channelLabel } from '../../../inbox/inbox';
import { SettingsCard } from '../../SettingsCard';
import { InboxMembers } from '../InboxMembers';
import { ChannelTest } from './ChannelTest';
import { docLabel } from './channelForm';

const statusBadges = {
  ok: { color: 'teal', label: 'Working' },
  failing: { color: 'red', label: 'Failing' },
  unknown: { color: 'gray', label: 'Not checked yet' },
} as const;

/** A messaging inbox's setup at a glance: the webhook to paste at the provider, Rapport's generated values, the settings, the connection and the docs. */
export function ChannelSettingsCard({ inbox, editable, onEdit }: { inbox: Inbox; editable: boolean; onEdit: () => void }) {
  const { info, query } = useChannel(inbox.channel);
  const queryClient = useQueryClient();
  const provider = info?.label ?? channelLabel(inbox.channel);
  // Only web addresses become links.
  const docs = (info?.docs ?? []).filter((url) => /^https?:\/\//i.test(url));
  return (
    <SettingsCard title={`${provider} settings`} description={editable ? 'How customers’ messages reach this inbox and how replies go out.' : 'Only admins can change an inbox.'}>
      {inbox.inbound_webhook_url && (
        <Stack gap={6}>
          <CopyField label="Webhook URL" value={inbox.inbound_webhook_url} />
          {query.isPending ? (
            <Skeleton height={10} width="60%" radius="xl" />
          ) : (
            <Text size="sm" c="dimmed">
              {info?.webhook_help ?? `Paste this URL at ${provider} as the webhook of this inbox.`}
            </Text>
          )}
        </Stack>
      )}
      {info && <GeneratedValues info={info} inbox={inbox} />}
      <SettingsList info={info} inbox={inbox} />
      {docs.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {provider} documentation
          </Text>
          {docs.map((url) => (
            <Anchor key={url} href={url} target="_blank" rel="noopener noreferrer" size="sm" w="fit-content" style={{ overflowWrap: 'anywhere' }}>
              <Group gap={4} wrap="nowrap" component="span">
                {docLabel(url)}
                <IconExternalLink size={12} aria-label="(opens in a new tab)" style={{ flexShrink: 0 }} />
              </Group>
            </Anchor>
          ))}
        </Stack>
      )}
      {editable && (
        <>
          <Divider />
          <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
            <ChannelTest
              provider={provider}
              request={{ channel: inbox.channel, settings: {}, inbox_id: inbox.id }}
              onTested={() => void queryClient.invalidateQueries({ queryKey: keys.inbox(inbox.id) })}
            />
            <Button variant="light" leftSection={<IconPencil size={16} />} onClick={onEdit}>
              Edit settings
            </Button>
          </Group>
        </>
      )}
      <Divider />
      <InboxMembers ids={inbox.member_ids} />
    </SettingsCard>
  );
}

/** Values Rapport made (a verify token to paste at the provider): shown with a copy button. Generated secrets never leave the server. */
function GeneratedValues({ info, inbox }: { info: ChannelInfo; inbox: Inbox }) {
  const shown = info.fields.filter((f) => f.generated && !f.secret && inbox.provider_settings?.[f.name]);
  if (shown.length === 0) return null;
  return (
    <>
      {shown.map((f) => (
        <CopyField key={f.name} label={f.label} description={f.help} value={inbox.provider_settings?.[f.name] ?? ''} />
      ))}
    </>
  );
}

function SettingsList({ info, inbox }: { info: ChannelInfo | undefined; inbox: Inbox }) {
  const fmt = useFormat();
  const narrow = useMediaQuery('(max-width: 36em)');
  const status = statusBadges[inbox.connection?.status ?? 'unknown'];
  const checkedAt = inbox.connection?.checked_at ?? null;
  const settings = inbox.provider_settings ?? {};
  // The provider's typed fields in its order; without the form (it failed to load), whatever the inbox has.
  const fields: ChannelField[] =
    info?.fields.filter((f) => !f.generated) ??
    Object.keys(settings).map((name) => ({ name, label: name, secret: false, optional: true, generated: false, pattern: null, problem: null, placeholder: null, help: '' }));
  return (
    <DataList labelWidth={170} gap="md" orientation={narrow ? 'vertical' : 'horizontal'}>
      {fields.map((f) => (
        <DataList.Item key={f.name}>
          <DataList.ItemLabel>{f.label}</DataList.ItemLabel>
          <DataList.ItemValue>
            {f.secret ? (
              inbox.secrets_set?.includes(f.name) ? (
                <Badge variant="light" color="gray">
                  Stored
                </Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  Not set
                </Text>
              )
            ) : settings[f.name] ? (
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {settings[f.name]}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                Not set
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
      ))}
      <DataList.Item>
        <DataList.ItemLabel>Connection</DataList.ItemLabel>
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
            {inbox.connection?.status === 'failing' && inbox.connection.error && (
              <Text size="sm" c="red" style={{ overflowWrap: 'anywhere' }}>
                {inbox.connection.error}
              </Text>
            )}
            {!checkedAt && (
              <Text size="xs" c="dimmed">
                Rapport finds out when it sends the next reply, or when you test the connection.
              </Text>
            )}
          </Stack>
        </DataList.ItemValue>
      </DataList.Item>
    </DataList>
  );
}
