import { Anchor, Badge, Button, EmptyState, Paper, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconRobot } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../../api/client';
import { automationKeys, useRules, type Rule } from '../../../api/automation';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { AdminOnly } from '../SettingsLayout';
import { AutoCloseCard } from './AutoCloseCard';
import { describeTrigger } from './labels';
import { OutcomeBadge } from './RunLog';

export function AutomationSettings() {
  const navigate = useNavigate();
  return (
    <Stack gap="lg">
      <PageHeader
        title="Automation"
        description="Rules do the routine work: when something happens to a conversation and it matches your conditions, Rapport tags, assigns, replies or notifies for you."
        actions={
          <AdminOnly fallback={null}>
            <Button leftSection={<IconPlus size={16} />} onClick={() => void navigate('/settings/automation/new')}>
              New rule
            </Button>
          </AdminOnly>
        }
      />
      <AdminOnly>
        <RuleTable />
        <AutoCloseCard />
      </AdminOnly>
    </Stack>
  );
}

function RuleTable() {
  const rules = useRules();
  const navigate = useNavigate();
  if (rules.isPending) return <TableSkeleton columns={4} rows={3} />;
  if (rules.isError) return <ErrorState title="Could not load the rules" error={rules.error} onRetry={() => void rules.refetch()} />;
  if (rules.data.length === 0)
    return (
      <Paper withBorder p="xl">
        <EmptyState variant="light" icon={<IconRobot size={24} />} title="No rules yet" description="A rule such as “when a customer writes refund, tag it refund and assign it to billing” saves a click on every conversation.">
          <EmptyState.Actions>
            <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => void navigate('/settings/automation/new')}>
              Create the first rule
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    );
  return (
    <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Automation rules">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rule</Table.Th>
              <Table.Th visibleFrom="sm">Last run</Table.Th>
              <Table.Th w={90}>On</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data.map((rule) => (
              <RuleRow key={rule.id} rule={rule} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function RuleRow({ rule }: { rule: Rule }) {
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const toggle = async (enabled: boolean) => {
    setSaving(true);
    try {
      await api.patch<Rule>(`/automation-rules/${rule.id}`, { enabled });
      await queryClient.invalidateQueries({ queryKey: automationKeys.rules, exact: true });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };
  const last = rule.last_run ? (
    <Text size="xs" c="dimmed" component="span">
      <OutcomeBadge outcome={rule.last_run.outcome} /> {fmt.smart(rule.last_run.created_at)}
    </Text>
  ) : (
    <Text size="xs" c="dimmed">
      Not run yet
    </Text>
  );
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/settings/automation/${rule.id}`} size="sm" fw={500}>
          {rule.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {describeTrigger(rule.trigger)} · {rule.conditions.length} condition{rule.conditions.length === 1 ? '' : 's'} · {rule.actions.length} action{rule.actions.length === 1 ? '' : 's'}
        </Text>
        <Stack mt={4} hiddenFrom="sm">
          {last}
        </Stack>
      </Table.Td>
      <Table.Td visibleFrom="sm">{last}</Table.Td>
      <Table.Td>
        <Switch checked={rule.enabled} disabled={saving} onChange={(e) => void toggle(e.currentTarget.checked)} aria-label={`${rule.name} on`} />
        {!rule.enabled && (
          <Badge size="xs" variant="light" color="gray" mt={4}>
            Off
          </Badge>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
