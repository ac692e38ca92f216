import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconMailOff, IconPlugConnectedX } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useChannels, useInboxes } from '../../../api/queries';
import type { Inbox } from '../../../api/types';
import { useSession } from '../../../lib/session';
import { isProviderChannel } from '../inbox';

/**
 * Above the conversation list: the inboxes I work in that cannot reach their customers right now
 * (an email inbox's mail servers, an API inbox's webhook, a messaging provider that refuses the
 * inbox's credentials). The inbox list is asked again every minute, since nothing else says when a
 * server breaks.
 */
export function ConnectionBanner() {
  const { isAdmin } = useSession();
  const inboxes = useInboxes(true);
  const channels = useChannels();
  const failing = (inboxes.data ?? []).filter((i) => (i.channel === 'email' || i.channel === 'api' || isProviderChannel(i.channel)) && i.connection?.status === 'failing');
  const providerOf = (inbox: Inbox) => channels.data?.find((c) => c.channel === inbox.channel)?.label ?? inbox.channel;
  const problem = (inbox: Inbox) =>
    inbox.channel === 'api'
      ? ['cannot deliver replies to its webhook: ', 'the webhook stopped answering.']
      : inbox.channel === 'email'
        ? ['cannot fetch or send mail: ', 'the mail server stopped answering.']
        : [`cannot reach ${providerOf(inbox)}: `, `${providerOf(inbox)} stopped answering.`];
  if (failing.length === 0) return null;
  return (
    <Stack gap={0}>
      {failing.map((inbox) => (
        <Alert key={inbox.id} color="red" variant="light" radius={0} icon={isProviderChannel(inbox.channel) ? <IconPlugConnectedX size={18} /> : <IconMailOff size={18} />} role="alert" py="xs">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Text span fw={600} size="sm">
              {inbox.name}
              {inbox.email ? ` (${inbox.email})` : ''}
            </Text>{' '}
            {problem(inbox)[0]}
            {inbox.connection?.error ?? problem(inbox)[1]}{' '}
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
