import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconMailOff } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useInboxes } from '../../../api/queries';
import { useSession } from '../../../lib/session';

/**
 * Above the conversation list: the inboxes I work in that cannot reach their customers right now
 * (an email inbox's mail servers, an API inbox's webhook). The inbox list is asked again every
 * minute, since nothing else says when a server breaks.
 */
export function ConnectionBanner() {
  const { isAdmin } = useSession();
  const inboxes = useInboxes(true);
  const failing = (inboxes.data ?? []).filter((i) => (i.channel === 'email' || i.channel === 'api') && i.connection?.status === 'failing');
  if (failing.length === 0) return null;
  return (
    <Stack gap={0}>
      {failing.map((inbox) => (
        <Alert key={inbox.id} color="red" variant="light" radius={0} icon={<IconMailOff size={18} />} role="alert" py="xs">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Text span fw={600} size="sm">
              {inbox.name}
              {inbox.email ? ` (${inbox.email})` : ''}
            </Text>{' '}
            {inbox.channel === 'api' ? 'cannot deliver replies to its webhook: ' : 'cannot fetch or send mail: '}
            {inbox.connection?.error ?? (inbox.channel === 'api' ? 'the webhook stopped answering.' : 'the mail server stopped answering.')}{' '}
            {isAdmin ? (
              <>
                Fix it in{' '}
                <Anchor component={Link} to={`/settings/inboxes/${inbox.id}`} size="sm" fw={600}>
                  Settings → Inboxes
                </Anchor>
                .
              </>
            ) : (
              'Ask an admin to fix it in Settings → Inboxes.'
            )}
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}
