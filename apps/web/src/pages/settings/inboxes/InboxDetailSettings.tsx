import { Anchor, Avatar, Badge, Button, EmptyState, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowLeft, IconInboxOff, IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { useInbox, useUsers } from '../../../api/queries';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, FormSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { useSession } from '../../../lib/session';
import { SettingsCard } from '../SettingsCard';
import { channelLabel } from '../../inbox/inbox';
import { BusinessHoursCard } from './BusinessHoursCard';
import { DeleteInboxModal } from './DeleteInboxModal';
import { IdentityCard } from './IdentityCard';
import { InboxModal } from './InboxModal';
import { InstallCard } from './InstallCard';

function BackLink() {
  return (
    <Anchor component={Link} to="/settings/inboxes" size="sm" w="fit-content">
      <Group gap={4} wrap="nowrap">
        <IconArrowLeft size={14} />
        All inboxes
      </Group>
    </Anchor>
  );
}

export function InboxDetailSettings() {
  const { inboxId } = useParams();
  const { isAdmin } = useSession();
  const inbox = useInbox(inboxId);
  const users = useUsers();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [editing, setEditing] = useState({ opened: false, key: 0 });
  const [deleting, setDeleting] = useState(false);

  if (inbox.isPending) {
    return (
      <Stack gap="lg">
        <BackLink />
        <Paper withBorder p="lg">
          <FormSkeleton fields={3} />
        </Paper>
      </Stack>
    );
  }
  if (inbox.isError) {
    return (
      <Stack gap="lg">
        <BackLink />
        {isApiError(inbox.error, 'not_found') ? (
          <Paper withBorder p="xl">
            <EmptyState
              variant="light"
              color="gray"
              icon={<IconInboxOff size={24} />}
              title="Inbox not found"
              description="It may have been deleted, or you do not work in it."
            />
          </Paper>
        ) : (
          <ErrorState title="Could not load this inbox" error={inbox.error} onRetry={() => void inbox.refetch()} />
        )}
      </Stack>
    );
  }

  const data = inbox.data;
  const members = data.member_ids.map((id) => users.data?.find((u) => u.id === id) ?? { id, name: 'Former teammate', avatar_url: null });
  return (
    <Stack gap="lg">
      <BackLink />
      <PageHeader
        title={data.name}
        description={`${channelLabel(data.channel)} inbox · created ${fmt.date(data.created_at)}`}
        actions={
          isAdmin && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing((e) => ({ opened: true, key: e.key + 1 }))}>
                Edit
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
                Delete
              </Button>
            </>
          )
        }
      />
      <InstallCard inbox={data} />
      <SettingsCard title="Settings" description={isAdmin ? undefined : 'Only admins can change an inbox.'}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              Allowed origins
            </Text>
            {data.allowed_origins.length ? (
              <Group gap={6}>
                {data.allowed_origins.map((o) => (
                  <Badge key={o} variant="default" tt="none" fw={500} style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
                    {o}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Text size="sm" c="dimmed">
                None set
              </Text>
            )}
          </Stack>
          <Stack gap={6}>
            <Text size="sm" fw={600}>
              Greeting
            </Text>
            <Text size="sm" c={data.greeting ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {data.greeting || 'No greeting'}
            </Text>
          </Stack>
        </SimpleGrid>
        <Stack gap={6}>
          <Text size="sm" fw={600}>
            Members ({members.length})
          </Text>
          {members.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nobody works in this inbox yet; only admins see its conversations.
            </Text>
          ) : (
            <Group gap="sm">
              {members.map((m) => (
                <Group key={m.id} gap={6} wrap="nowrap">
                  <Avatar size={24} radius="xl" color="initials" name={m.name} src={m.avatar_url || null} alt="" />
                  <Text size="sm">{m.name}</Text>
                </Group>
              ))}
            </Group>
          )}
        </Stack>
      </SettingsCard>
      <BusinessHoursCard key={`${data.id}:${JSON.stringify(data.business_hours)}`} inbox={data} editable={isAdmin} />
      {isAdmin && data.identity_secret && <IdentityCard inboxId={data.id} secret={data.identity_secret} />}

      {isAdmin && (
        <>
          <InboxModal key={editing.key} opened={editing.opened} inbox={data} onClose={() => setEditing((e) => ({ ...e, opened: false }))} />
          <DeleteInboxModal
            inbox={deleting ? data : null}
            onClose={() => setDeleting(false)}
            onDeleted={() => void navigate('/settings/inboxes', { replace: true })}
          />
        </>
      )}
    </Stack>
  );
}
