import { ActionIcon, Anchor, Badge, Button, EmptyState, Group, Menu, Paper, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconDots, IconInbox, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useInboxes, useUsers } from '../../../api/queries';
import type { Inbox } from '../../../api/types';
import { MemberAvatars } from '../../../components/MemberAvatars';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { useSession } from '../../../lib/session';
import { ChannelBadge } from './ChannelBadge';
import { ChannelChoiceModal, type NewInboxChannel } from './ChannelChoiceModal';
import { DeleteInboxModal } from './DeleteInboxModal';
import { InboxFormModal } from './InboxFormModal';

/** The line under an inbox's name: its address, webhook or allowed origins. */
function summaryOf(inbox: Inbox): string {
  return inbox.email || inbox.webhook_url || inbox.allowed_origins.join(', ');
}

export function InboxesSettings() {
  const { isAdmin } = useSession();
  const inboxes = useInboxes();
  const users = useUsers();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [modal, setModal] = useState({ opened: false, inbox: null as Inbox | null, channel: 'webchat' as NewInboxChannel, key: 0 });
  const [choosing, setChoosing] = useState({ opened: false, key: 0 });
  const [deleting, setDeleting] = useState<Inbox | null>(null);
  const open = (inbox: Inbox | null, channel: NewInboxChannel = 'webchat') => setModal((m) => ({ opened: true, inbox, channel, key: m.key + 1 }));
  // A new inbox starts with its channel: live chat or email.
  const create = () => setChoosing((c) => ({ opened: true, key: c.key + 1 }));

  return (
    <Stack gap="lg">
      <PageHeader
        title="Inboxes"
        description={
          isAdmin
            ? 'Each inbox is one way customers reach you, such as the chat on your website or your support address.'
            : 'The inboxes you work in. Ask an admin to change them.'
        }
        actions={
          isAdmin && (
            <Button leftSection={<IconPlus size={16} />} onClick={create}>
              New inbox
            </Button>
          )
        }
      />
      {inboxes.isPending && <TableSkeleton columns={4} rows={3} />}
      {inboxes.isError && <ErrorState title="Could not load inboxes" error={inboxes.error} onRetry={() => void inboxes.refetch()} />}
      {inboxes.data?.length === 0 && (
        <Paper withBorder p="xl">
          <EmptyState
            variant="light"
            icon={<IconInbox size={24} />}
            title={isAdmin ? 'No inboxes yet' : 'You are not in any inbox yet'}
            description={
              isAdmin
                ? 'Create a live chat inbox for your website or connect a support address, and conversations start arriving.'
                : 'An admin can add you to an inbox so its conversations show up for you.'
            }
          >
            {isAdmin && (
              <EmptyState.Actions>
                <Button variant="light" leftSection={<IconPlus size={16} />} onClick={create}>
                  Create the first inbox
                </Button>
              </EmptyState.Actions>
            )}
          </EmptyState>
        </Paper>
      )}
      {inboxes.data && inboxes.data.length > 0 && (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={320}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Inbox</Table.Th>
                  <Table.Th visibleFrom="sm">Channel</Table.Th>
                  <Table.Th visibleFrom="sm">Members</Table.Th>
                  <Table.Th visibleFrom="md">Created</Table.Th>
                  {isAdmin && <Table.Th w={56} aria-label="Actions" />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inboxes.data.map((inbox) => (
                  <Table.Tr key={inbox.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/settings/inboxes/${inbox.id}`} size="sm" fw={500}>
                        {inbox.name}
                      </Anchor>
                      {summaryOf(inbox) && (
                        <Text size="xs" c="dimmed" truncate maw={280}>
                          {summaryOf(inbox)}
                        </Text>
                      )}
                      {(inbox.webhook_disabled_at || inbox.connection?.status === 'failing') && (
                        <Badge size="xs" color="red" variant="light" mt={4} leftSection={<IconAlertTriangle size={10} />}>
                          {inbox.webhook_disabled_at ? 'Webhook switched off' : inbox.channel === 'api' ? 'Webhook failing' : 'Connection failing'}
                        </Badge>
                      )}
                      <Group gap="xs" mt={6} hiddenFrom="sm">
                        <ChannelBadge channel={inbox.channel} />
                        <Text size="xs" c="dimmed">
                          {inbox.member_ids.length} {inbox.member_ids.length === 1 ? 'member' : 'members'}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <ChannelBadge channel={inbox.channel} />
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <MemberAvatars ids={inbox.member_ids} users={users.data} />
                    </Table.Td>
                    <Table.Td visibleFrom="md">
                      <Text size="sm" c="dimmed">
                        {fmt.date(inbox.created_at)}
                      </Text>
                    </Table.Td>
                    {isAdmin && (
                      <Table.Td>
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${inbox.name}`}>
                              <IconDots size={16} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => open(inbox)}>
                              Edit
                            </Menu.Item>
                            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(inbox)}>
                              Delete
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <ChannelChoiceModal
        key={`choice-${choosing.key}`}
        opened={choosing.opened}
        onClose={() => setChoosing((c) => ({ ...c, opened: false }))}
        onChoose={(channel) => {
          setChoosing((c) => ({ ...c, opened: false }));
          open(null, channel);
        }}
      />
      <InboxFormModal
        key={modal.key}
        opened={modal.opened}
        inbox={modal.inbox}
        channel={modal.channel}
        onClose={() => setModal((m) => ({ ...m, opened: false }))}
        onSaved={(saved, created) => created && void navigate(`/settings/inboxes/${saved.id}`)}
      />
      <DeleteInboxModal inbox={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
