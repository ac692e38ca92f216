import { Anchor, Badge, EmptyState, List, Paper, Stack, Table, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useRuleRuns, type RunOutcome } from '../../../api/automation';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { actionLabel } from './labels';

const colors: Record<RunOutcome, string> = { done: 'teal', skipped: 'gray', failed: 'red' };
const words: Record<RunOutcome, string> = { done: 'Done', skipped: 'Skipped', failed: 'Failed' };

export function OutcomeBadge({ outcome }: { outcome: RunOutcome }) {
  return (
    <Badge size="xs" variant="light" color={colors[outcome]}>
      {words[outcome]}
    </Badge>
  );
}

/** The rule's runs, newest first: what fired it, what each action did, or why it failed. */
export function RunLog({ ruleId }: { ruleId: string }) {
  const runs = useRuleRuns(ruleId);
  const fmt = useFormat();
  if (runs.isPending) return <TableSkeleton columns={3} rows={3} />;
  if (runs.isError) return <ErrorState title="Could not load the run log" error={runs.error} onRetry={() => void runs.refetch()} />;
  if (runs.data.length === 0)
    return (
      <Paper withBorder p="lg">
        <EmptyState variant="light" icon={<IconHistory size={24} />} title="No runs yet" description="Each time the rule’s trigger fires, the run shows here with what each action did." />
      </Paper>
    );
  return (
    <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
      <Table.ScrollContainer minWidth={320}>
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Run log">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={150}>When</Table.Th>
              <Table.Th>What happened</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.data.map((run) => (
              <Table.Tr key={run.id}>
                <Table.Td>
                  <Stack gap={4}>
                    <OutcomeBadge outcome={run.outcome} />
                    <Text size="xs" c="dimmed">
                      {fmt.smart(run.created_at)}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {run.trigger}
                    {run.conversation_id && (
                      <>
                        {' · '}
                        <Anchor component={Link} to={`/inbox/${run.conversation_id}`} size="sm">
                          Open the conversation
                        </Anchor>
                      </>
                    )}
                  </Text>
                  {run.error && (
                    <Text size="xs" c={run.outcome === 'failed' ? 'red' : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
                      {run.error}
                    </Text>
                  )}
                  {run.actions.length > 0 && (
                    <List size="xs" c="dimmed" spacing={0} mt={4}>
                      {run.actions.map((a, i) => (
                        <List.Item key={i}>
                          {actionLabel(a.type)}: {a.outcome === 'done' ? a.detail : `${a.outcome} (${a.detail})`}
                        </List.Item>
                      ))}
                    </List>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
