import { Alert, Anchor, Button, Code, DataList, EmptyState, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArrowLeft, IconPencil, IconSend, IconTrash, IconWebhookOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorMessage, isApiError } from '../../../api/client';
import { useWebhook, webhookKeys, type Webhook } from '../../../api/webhooks';
import { ConfirmModal } from '../../../components/ConfirmModal';
import { CopyValueButton } from '../../../components/CopyValueButton';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, FormSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { SettingsCard } from '../SettingsCard';
import { AdminOnly } from '../SettingsLayout';
import { SecretField, VerifySignatureHelp } from '../SigningSecret';
import { DeliveryLog } from './DeliveryLog';
import { WebhookStateBadge } from './WebhookBadges';
import { WebhookFormModal } from './WebhookFormModal';

function BackLink() {
  return (
    <Anchor component={Link} to="/settings/webhooks" size="sm" w="fit-content">
      <Group gap={4} wrap="nowrap">
        <IconArrowLeft size={14} />
        All webhooks
      </Group>
    </Anchor>
  );
}

/** A webhook is named by its description, or else by the host it posts to. */
function titleOf(webhook: Webhook): string {
  if (webhook.description) return webhook.description;
  try {
    return new URL(webhook.url).host;
  } catch {
    return 'Webhook';
  }
}

export function WebhookDetailSettings() {
  return (
    <Stack gap="lg">
      <BackLink />
      <AdminOnly>
        <WebhookDetail />
      </AdminOnly>
    </Stack>
  );
}

function WebhookDetail() {
  const { webhookId } = useParams();
  const webhook = useWebhook(webhookId);
  if (webhook.isPending) {
    return (
      <Paper withBorder p="lg">
        <FormSkeleton fields={3} />
      </Paper>
    );
  }
  if (webhook.isError) {
    return isApiError(webhook.error, 'not_found') ? (
      <Paper withBorder p="xl">
        <EmptyState variant="light" color="gray" icon={<IconWebhookOff size={24} />} title="Webhook not found" description="It may have been deleted." />
      </Paper>
    ) : (
      <ErrorState title="Could not load this webhook" error={webhook.error} onRetry={() => void webhook.refetch()} />
    );
  }
  return <WebhookPage webhook={webhook.data} />;
}

function WebhookPage({ webhook }: { webhook: Webhook }) {
  const fmt = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState({ opened: false, key: 0 });
  const [deleting, setDeleting] = useState(false);
  const saved = async (next: Webhook) => {
    queryClient.setQueryData(webhookKeys.detail(next.id), next);
    await queryClient.invalidateQueries({ queryKey: webhookKeys.list });
  };
  const rotate = async () => {
    await saved(await api.post<Webhook>(`/webhooks/${webhook.id}/secret`));
    notifications.show({ color: 'green', message: 'New signing secret generated. Put it on your receiver now: deliveries from now on are signed with it.' });
  };
  return (
    <Stack gap="lg">
      <PageHeader
        title={titleOf(webhook)}
        description={`Webhook · created ${fmt.date(webhook.created_at)}`}
        actions={
          <>
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing((e) => ({ opened: true, key: e.key + 1 }))}>
              Edit
            </Button>
            <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </>
        }
      />
      {webhook.disabled_reason && (
        <Alert color="red" variant="light" role="alert" icon={<IconAlertTriangle size={18} />} title="Rapport switched this webhook off">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {webhook.disabled_reason}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            Events that happen while it is off are not sent. Fix the receiver, switch the webhook on below, then redeliver what failed.
          </Text>
        </Alert>
      )}
      <SubscriptionCard webhook={webhook} onSaved={saved} />
      {webhook.secret && (
        <SettingsCard title="Signing secret" description="Your receiver checks with it that a delivery really comes from Rapport and was not changed on the way.">
          <SecretField
            label="Webhook signing secret"
            description="Keep it on your receiving server only."
            secret={webhook.secret}
            onRotate={rotate}
            rotateWarning="Do this if the secret may have leaked. Deliveries from now on, retries included, are signed with the new secret only: your receiver refuses them until it checks with the new one."
          />
          <VerifySignatureHelp eventHeader />
        </SettingsCard>
      )}
      <DeliveryLog webhook={webhook} />

      <WebhookFormModal key={editing.key} opened={editing.opened} webhook={webhook} onClose={() => setEditing((e) => ({ ...e, opened: false }))} />
      <ConfirmModal
        opened={deleting}
        onClose={() => setDeleting(false)}
        title="Delete webhook"
        confirmLabel="Delete webhook"
        onConfirm={async () => {
          await api.del(`/webhooks/${webhook.id}`);
          queryClient.removeQueries({ queryKey: webhookKeys.detail(webhook.id) });
          await queryClient.invalidateQueries({ queryKey: webhookKeys.list });
          notifications.show({ color: 'teal', message: 'Webhook deleted' });
          void navigate('/settings/webhooks', { replace: true });
        }}
      >
        {webhook.url} stops receiving events at once, and its delivery log is deleted. This cannot be undone.
      </ConfirmModal>
    </Stack>
  );
}

/** Where the events go, which ones, whether they are sent, and a ping to try the receiver. */
function SubscriptionCard({ webhook, onSaved }: { webhook: Webhook; onSaved: (next: Webhook) => Promise<void> }) {
  const narrow = useMediaQuery('(max-width: 36em)');
  const queryClient = useQueryClient();
  // What the admin switched to, shown at once while the server is asked.
  const [switching, setSwitching] = useState<boolean | null>(null);
  const [pinging, setPinging] = useState(false);

  const setEnabled = async (enabled: boolean) => {
    setSwitching(enabled);
    try {
      await onSaved(await api.patch<Webhook>(`/webhooks/${webhook.id}`, { enabled }));
      notifications.show({ color: 'teal', message: enabled ? 'Webhook switched on: the next events go to it.' : 'Webhook switched off: events are not sent to it.' });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not switch the webhook', message: errorMessage(err) });
    } finally {
      setSwitching(null);
    }
  };

  const ping = async () => {
    setPinging(true);
    try {
      await api.post(`/webhooks/${webhook.id}/ping`);
      await queryClient.invalidateQueries({ queryKey: ['webhooks', webhook.id, 'deliveries'] });
      notifications.show({ color: 'teal', message: 'Test ping sent: its outcome shows in the delivery log.' });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not send the ping', message: errorMessage(err) });
    } finally {
      setPinging(false);
    }
  };

  return (
    <SettingsCard
      title="Subscription"
      description={
        <>
          Each event is POSTed as JSON: <Code>{'{ id, event, created_at, data }'}</Code>, the data as the agents’ app sees it.
        </>
      }
    >
      <DataList labelWidth={150} gap="md" orientation={narrow ? 'vertical' : 'horizontal'}>
        <DataList.Item>
          <DataList.ItemLabel>URL</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere', minWidth: 0 }} data-testid="webhook-url">
                {webhook.url}
              </Text>
              <CopyValueButton value={webhook.url} label="Copy URL" size="compact-sm" style={{ flexShrink: 0 }} />
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Events</DataList.ItemLabel>
          <DataList.ItemValue>
            <Group gap={6}>
              {webhook.events.map((e) => (
                <Code key={e}>{e}</Code>
              ))}
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>State</DataList.ItemLabel>
          <DataList.ItemValue>
            <WebhookStateBadge webhook={webhook} />
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      <Group justify="space-between" align="flex-start" gap="md">
        <Switch
          label="Send events to this URL"
          description={webhook.enabled ? 'Off: nothing is sent, and events meanwhile are not kept for later.' : 'On again: failures are forgotten and the next events are sent.'}
          checked={switching ?? webhook.enabled}
          disabled={switching !== null}
          onChange={(e) => void setEnabled(e.currentTarget.checked)}
          style={{ flex: '1 1 18rem' }}
        />
        <Button variant="default" leftSection={<IconSend size={16} />} loading={pinging} disabled={!webhook.enabled} onClick={() => void ping()}>
          Send test ping
        </Button>
      </Group>
      {!webhook.enabled && (
        <Text size="xs" c="dimmed">
          Switch the webhook on to send a test ping.
        </Text>
      )}
    </SettingsCard>
  );
}
