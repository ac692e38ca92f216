import { Button, Code, EmptyState, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHistory, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../../../api/client';
import { useWebhookDeliveries, webhookKeys, type Webhook, type WebhookDelivery } from '../../../api/webhooks';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { SettingsCard } from '../SettingsCard';
import { DeliveryStatusBadge } from './WebhookBadges';

const FIRST_PAGE = 50;
/** The most the server answers at once. */
const MOST = 200;

/** The webhook's deliveries, newest first, kept current while any is pending; failed ones can be sent again. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const [limit, setLimit] = useState(FIRST_PAGE);
  const deliveries = useWebhookDeliveries(webhook.id, limit);
  const pending = deliveries.data?.some((d) => d.status === 'pending') ?? false;
  useWebhookRefreshOnFailure(webhook.id, deliveries.data);
  return (
    <SettingsCard
      title="Delivery log"
      description={
        <>
          Every event sent to this URL, newest first: the HTTP status your receiver answered (its body is never kept) and each attempt. A receiver
          that is down or answers 5xx is tried again with backoff; one that answers <Code>410 Gone</Code> switches the webhook off.
        </>
      }
    >
      {deliveries.isPending ? (
        <TableSkeleton columns={6} rows={4} />
      ) : deliveries.isError ? (
        <ErrorState title="Could not load the delivery log" error={deliveries.error} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data.length === 0 ? (
        <EmptyState
          variant="light"
          color="gray"
          icon={<IconHistory size={24} />}
          title="Nothing delivered yet"
          description="Deliveries show here as events happen. Send a test ping to try your receiver now."
        />
      ) : (
        <>
          {!webhook.enabled && (
            <Text size="sm" c="dimmed">
              Switch the webhook on to send failed deliveries again.
            </Text>
          )}
          <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
            <Table.ScrollContainer minWidth={620}>
              <Table verticalSpacing="xs" horizontalSpacing="sm" aria-label="Deliveries" aria-busy={pending || undefined}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Event</Table.Th>
                    <Table.Th w={120}>Status</Table.Th>
                    <Table.Th w={56}>HTTP</Table.Th>
                    <Table.Th w={80}>Attempts</Table.Th>
                    <Table.Th>Error</Table.Th>
                    <Table.Th w={96}>Time</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {deliveries.data.map((d) => (
                    <DeliveryRow key={d.id} webhook={webhook} delivery={d} limit={limit} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Group justify="space-between" gap="sm">
            <Text size="xs" c="dimmed" aria-live="polite">
              {pending ? 'Waiting for pending deliveries: the log refreshes by itself.' : `${deliveries.data.length} ${deliveries.data.length === 1 ? 'delivery' : 'deliveries'} shown.`}
            </Text>
            {deliveries.data.length === limit && limit < MOST && (
              <Button variant="subtle" size="xs" onClick={() => setLimit(MOST)}>
                Show older deliveries
              </Button>
            )}
          </Group>
        </>
      )}
    </SettingsCard>
  );
}

/**
 * A delivery that fails may have switched the webhook off (410 Gone, too many failures in a row):
 * the webhook is asked again when one of the log's deliveries turns failed.
 */
function useWebhookRefreshOnFailure(webhookId: string, deliveries: WebhookDelivery[] | undefined) {
  const queryClient = useQueryClient();
  const failed = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!deliveries) return;
    const now = new Set(deliveries.filter((d) => d.status === 'failed').map((d) => d.id));
    const before = failed.current;
    failed.current = now;
    if (before && [...now].some((id) => !before.has(id))) {
      void queryClient.invalidateQueries({ queryKey: webhookKeys.detail(webhookId) });
      void queryClient.invalidateQueries({ queryKey: webhookKeys.list });
    }
  }, [deliveries, queryClient, webhookId]);
}

function DeliveryRow({ webhook, delivery: d, limit }: { webhook: Webhook; delivery: WebhookDelivery; limit: number }) {
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const redeliver = async () => {
    setBusy(true);
    try {
      const again = await api.post<WebhookDelivery>(`/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`);
      // Pending at once, so the log starts refreshing itself.
      queryClient.setQueryData<WebhookDelivery[]>(webhookKeys.deliveries(webhook.id, limit), (rows) => rows?.map((r) => (r.id === again.id ? again : r)));
      notifications.show({ color: 'teal', message: `Sending the ${d.event} delivery again` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not redeliver', message: errorMessage(err) });
      await queryClient.invalidateQueries({ queryKey: webhookKeys.detail(webhook.id) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Code fz="xs">{d.event}</Code>
      </Table.Td>
      <Table.Td>
        <DeliveryStatusBadge status={d.status} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace" c={d.response_status === null ? 'dimmed' : undefined}>
          {d.response_status ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{d.attempts}</Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={6} align="flex-start">
          {d.error ? (
            <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>
              {d.error}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
          {/* The way out of a failure, beside it. */}
          {d.status === 'failed' && (
            <Button
              size="compact-xs"
              variant="light"
              leftSection={<IconRefresh size={12} />}
              loading={busy}
              disabled={!webhook.enabled}
              onClick={() => void redeliver()}
              aria-label={`Redeliver ${d.event} from ${fmt.dateTime(d.created_at)}`}
            >
              Redeliver
            </Button>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" component="time" dateTime={d.created_at} title={fmt.dateTime(d.created_at)} style={{ whiteSpace: 'nowrap' }}>
          {fmt.smart(d.created_at)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
