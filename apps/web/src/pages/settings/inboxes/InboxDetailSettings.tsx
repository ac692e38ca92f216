import { Anchor, Button, EmptyState, Group, Paper, Stack } from '@mantine/core';
import { IconArrowLeft, IconInboxOff, IconPencil, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../../../api/client';
import { useInbox } from '../../../api/queries';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, FormSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { useSession } from '../../../lib/session';
import { channelLabel, isProviderChannel } from '../../inbox/inbox';
import { ApiUsageCard } from './api/ApiUsageCard';
import { WebhookAlert } from './api/WebhookAlert';
import { WebhookCard } from './api/WebhookCard';
import { WebhookSecretCard } from './api/WebhookSecretCard';
import { BusinessHoursCard } from './BusinessHoursCard';
import { ContactFormCard } from './contact-form/ContactFormCard';
import { DeleteInboxModal } from './DeleteInboxModal';
import { IdentityCard } from './IdentityCard';
import { ConnectionAlert } from './email/ConnectionAlert';
import { EmailSettingsCard } from './email/EmailSettingsCard';
import { InboxFormModal } from './InboxFormModal';
import { InstallCard } from './InstallCard';
import { ChannelAlert } from './messaging/ChannelAlert';
import { ChannelSettingsCard } from './messaging/ChannelSettingsCard';
import { WebChatSettingsCard } from './WebChatSettingsCard';
import { AssignmentCard } from '../routing/AssignmentCard';
import { AnswerBotCard } from './AnswerBotCard';

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
  const fmt = useFormat();
  const navigate = useNavigate();
  const [editing, setEditing] = useState({ opened: false, key: 0 });
  const [deleting, setDeleting] = useState(false);
  const edit = () => setEditing((e) => ({ opened: true, key: e.key + 1 }));

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
  return (
    <Stack gap="lg">
      <BackLink />
      <PageHeader
        title={data.name}
        description={`${channelLabel(data.channel)} inbox${data.email ? ` for ${data.email}` : ''} · created ${fmt.date(data.created_at)}`}
        actions={
          isAdmin && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={edit}>
                Edit
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
                Delete
              </Button>
            </>
          )
        }
      />
      {data.channel === 'email' ? (
        <>
          <ConnectionAlert inbox={data} />
          <EmailSettingsCard inbox={data} editable={isAdmin} onEdit={edit} />
          {isAdmin && <ContactFormCard inboxId={data.id} />}
        </>
      ) : data.channel === 'api' ? (
        <>
          <WebhookAlert inbox={data} editable={isAdmin} />
          <WebhookCard inbox={data} editable={isAdmin} onEdit={edit} />
          {isAdmin && data.webhook_secret && <WebhookSecretCard inboxId={data.id} secret={data.webhook_secret} />}
          <ApiUsageCard inboxId={data.id} />
        </>
      ) : isProviderChannel(data.channel) ? (
        <>
          <ChannelAlert inbox={data} />
          <ChannelSettingsCard inbox={data} editable={isAdmin} onEdit={edit} />
        </>
      ) : (
        <>
          <InstallCard inbox={data} />
          <WebChatSettingsCard inbox={data} editable={isAdmin} />
          <BusinessHoursCard key={`${data.id}:${JSON.stringify(data.business_hours)}`} inbox={data} editable={isAdmin} />
          {isAdmin && data.identity_secret && <IdentityCard inboxId={data.id} secret={data.identity_secret} />}
        </>
      )}

      {isAdmin && <AssignmentCard inboxId={data.id} />}
      {isAdmin && data.channel !== 'phone' && <AnswerBotCard inboxId={data.id} />}

      {isAdmin && (
        <>
          <InboxFormModal key={editing.key} opened={editing.opened} inbox={data} onClose={() => setEditing((e) => ({ ...e, opened: false }))} />
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
