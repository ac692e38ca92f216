import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useChannel } from '../../../../api/queries';
import type { Inbox } from '../../../../api/types';
import { useFormat } from '../../../../lib/format';
import { channelLabel } from '../../../inbox/inbox';

/** Says, on a messaging inbox's page, that the provider refused it (a revoked token, say), why, and when that was seen. */
export function ChannelAlert({ inbox }: { inbox: Inbox }) {
  const fmt = useFormat();
  const { info } = useChannel(inbox.channel);
  const connection = inbox.connection;
  if (connection?.status !== 'failing') return null;
  const provider = info?.label ?? channelLabel(inbox.channel);
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} />} title={`This inbox cannot reach ${provider}`}>
      <Stack gap={4}>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {connection.error ?? `${provider} stopped answering.`}
        </Text>
        <Text size="xs" c="dimmed">
          {connection.checked_at ? (
            <>
              Checked{' '}
              <time dateTime={connection.checked_at} title={fmt.dateTime(connection.checked_at)}>
                {fmt.relative(connection.checked_at)}
              </time>
              .{' '}
            </>
          ) : null}
          Replies are not sent until it is fixed: fix the settings below, then test the connection.
        </Text>
      </Stack>
    </Alert>
  );
}
