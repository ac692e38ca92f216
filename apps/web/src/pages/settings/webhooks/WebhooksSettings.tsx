import { Anchor, Button, Code, EmptyState, Group, List, Paper, Stack, Table, Text } from '@mantine/core';
import { IconPlus, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useWebhooks, type Webhook } from '../../../api/webhooks';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { AdminOnly } from '../SettingsLayout';
import { WebhookStateBadge } from './WebhookBadges';
import { WebhookFormModal } from './WebhookFormModal';

export function WebhooksSettings() {
  const navigate = useNavigate();
  const [creating, setCreating] = useState({ opened: false, key: 0 });
  const create = () => setCreating((c) => ({ opened: true, key: c.key + 1 }));
  return (
    <Stack gap="lg">
      <PageHeader
        title="Webhooks"
        description="Rapport tells your other systems what happens here, as it happens: each event is POSTed to a URL of yours, signed."
        actions={
          <AdminOnly fallback={null}>
            <Button leftSection={<IconPlus size={16} />} onClick={create}>
              New webhook
            </Button>
          </AdminOnly>
        }
      />
      <AdminOnly>
        <WebhookTable onCreate={create} />
        <WebhookFormModal
          key={creating.key}
          opened={creating.opened}
          webhook={null}
          onClose={() => setCreating((c) => ({ ...c, opened: false }))}
          onSaved={(saved) => void navigate(`/settings/webhooks/${saved.id}`)}
        />
      </AdminOnly>
    </Stack>
  );
}

function WebhookTable({ onCreate }: { onCreate: () => void }) {
  const webhooks = useWebhooks();
  if (webhooks.isPending) return <TableSkeleton columns={3} rows={3} />;
  if (webhooks.isError) return <ErrorState title="Could not load webhooks" error={webhooks.error} onRetry={() => void webhooks.refetch()} />;
  if (webhooks.data.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState
          variant="light"
          icon={<IconWebhook size={24} />}
          title="No webhooks yet"
          description="A webhook keeps another system in step with your support: Rapport POSTs an event to its URL when a conversation starts or changes, or when a message is written or sent. Use one to update a CRM, post to a team chat or start an automation."
        >
          <List size="sm" c="dimmed" spacing={2} maw={520} mx="auto" mt="xs" ta="left">
            <List.Item>Each delivery is signed, so your receiver knows it comes from Rapport.</List.Item>
            <List.Item>A receiver that is down is tried again; every attempt shows in the delivery log.</List.Item>
          </List>
          <EmptyState.Actions>
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={onCreate}>
              Create the first webhook
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  }
  return (
    <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Webhooks">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th visibleFrom="sm">Events</Table.Th>
              <Table.Th w={220}>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {webhooks.data.map((webhook) => (
              <WebhookRow key={webhook.id} webhook={webhook} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function WebhookRow({ webhook }: { webhook: Webhook }) {
  const events = (
    <Group gap={4}>
      {webhook.events.map((e) => (
        <Code key={e} fz="xs">
          {e}
        </Code>
      ))}
    </Group>
  );
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/settings/webhooks/${webhook.id}`} size="sm" fw={500} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {webhook.url}
        </Anchor>
        {webhook.description && (
          <Text size="xs" c="dimmed" truncate maw={420}>
            {webhook.description}
          </Text>
        )}
        <Stack mt={6} hiddenFrom="sm">
          {events}
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="sm">{events}</Table.Td>
      <Table.Td>
        <WebhookStateBadge webhook={webhook} />
        {webhook.disabled_reason && (
          <Text size="xs" c="dimmed" mt={4} style={{ overflowWrap: 'anywhere' }}>
            {webhook.disabled_reason}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
