import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { Inbox } from '../../../../api/types';
import { useFormat } from '../../../../lib/format';

/** Says, on the inbox's page, that its mail servers stopped working, why, and when that was seen. */
export function ConnectionAlert({ inbox }: { inbox: Inbox }) {
  const fmt = useFormat();
  const connection = inbox.connection;
  if (connection?.status !== 'failing') return null;
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} />} title="This inbox cannot fetch or send mail">
      <Stack gap={4}>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {connection.error ?? 'The mail server stopped answering.'}
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
          Fix the settings below, then test the connection.
        </Text>
      </Stack>
    </Alert>
  );
}
