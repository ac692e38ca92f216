import { Badge, Button, Code, EmptyState, Group, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useAuditEvents, useUsers } from '../../api/queries';
import type { AuditEvent } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { useSession } from '../../lib/session';
import { AdminOnly } from './SettingsLayout';

const actionLabels: Record<string, string> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.sign_out': 'Signed out',
  'auth.sign_out_everywhere': 'Signed out everywhere',
  'auth.password_changed': 'Changed password',
  'auth.password_reset_requested': 'Requested password reset',
  'auth.password_reset': 'Reset password',
  'auth.two_factor_enabled': 'Enabled two-factor',
  'auth.two_factor_disabled': 'Disabled two-factor',
  'member.added': 'Added a teammate',
  'member.role_changed': 'Changed a role',
  'member.removed': 'Removed a teammate',
  'token.created': 'Created an API token',
  'token.revoked': 'Revoked an API token',
  'invitation.created': 'Created an invitation',
  'invitation.revoked': 'Revoked an invitation',
  'invitation.accepted': 'Accepted an invitation',
  'team.created': 'Created a team',
  'team.updated': 'Updated a team',
  'team.deleted': 'Deleted a team',
  'workspace.created': 'Created the workspace',
  'workspace.renamed': 'Renamed the workspace',
  'inbox.identity_secret_rotated': 'Generated a new identity secret for an inbox',
  'contact.merged': 'Merged two contacts into one',
  'inbox.webhook_secret_rotated': 'Generated a new webhook secret for an API inbox',
  'webhook.created': 'Added a webhook',
  'webhook.deleted': 'Deleted a webhook',
  'webhook.secret_rotated': 'Generated a new secret for a webhook',
  'automation_rule.created': 'Created an automation rule',
  'automation_rule.updated': 'Changed an automation rule',
  'automation_rule.deleted': 'Deleted an automation rule',
  'macro.created': 'Created a macro',
  'macro.updated': 'Changed a macro',
  'macro.deleted': 'Deleted a macro',
  'canned_response.created': 'Created a canned response',
  'canned_response.updated': 'Changed a canned response',
  'canned_response.deleted': 'Deleted a canned response',
};

function actionColor(action: string): string {
  if (action.endsWith('_failed') || action.endsWith('.failed')) return 'red';
  if (action.endsWith('revoked') || action.endsWith('removed') || action.endsWith('deleted')) return 'orange';
  if (action.startsWith('auth.')) return 'blue';
  return 'gray';
}

const typeLabels: Record<string, string> = {
  user: 'User',
  api_token: 'API token',
  invitation: 'Invitation',
  account: 'Workspace',
  team: 'Team',
  automation_rule: 'Automation rule',
  macro: 'Macro',
  canned_response: 'Canned response',
};

/** The target in words (a name where one is known) and a detail line from the metadata. */
function describeTarget(e: AuditEvent, names: Map<string, string>): { primary: string; detail: string | null } {
  const meta = e.metadata ?? {};
  const str = (k: string) => (typeof meta[k] === 'string' && meta[k] ? (meta[k] as string) : null);
  const known = e.target_id ? names.get(e.target_id) : undefined;
  const primary =
    known ?? str('email') ?? str('name') ?? (e.target_type ? `${typeLabels[e.target_type] ?? e.target_type}${e.target_id ? ` ${e.target_id.slice(0, 8)}` : ''}` : '—');
  const from = str('from');
  const to = str('to');
  const changed = Array.isArray(meta.changed) && meta.changed.length ? `changed ${meta.changed.filter((c) => typeof c === 'string').join(', ')}` : null;
  const detail = from && to ? `${from} → ${to}` : (str('reason')?.replace(/_/g, ' ') ?? (str('role') ? `as ${str('role')}` : changed));
  return { primary, detail };
}

export function AuditLogSettings() {
  return (
    <Stack gap="lg">
      <PageHeader title="Audit log" description="Security-relevant activity in this workspace, newest first." />
      <AdminOnly>
        <AuditTable />
      </AdminOnly>
    </Stack>
  );
}

function TargetCell({ primary, detail }: { primary: string; detail: string | null }) {
  return (
    <>
      <Text size="sm" truncate maw={260}>
        {primary}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed">
          {detail}
        </Text>
      )}
    </>
  );
}

function AuditTable() {
  const events = useAuditEvents();
  const users = useUsers();
  const fmt = useFormat();
  const { workspace } = useSession();
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  names.set(workspace.id, workspace.name);

  if (events.isPending) return <TableSkeleton columns={5} rows={8} />;
  if (events.isError) return <ErrorState title="Could not load the audit log" error={events.error} onRetry={() => void events.refetch()} />;
  const rows = events.items ?? [];
  if (rows.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState variant="light" icon={<IconHistory size={24} />} title="No activity yet" description="Sign-ins, and changes to members, tokens, invitations, webhooks, automation rules, macros and canned responses are recorded here." />
      </Paper>
    );
  }
  return (
    <Stack gap="md">
      <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" horizontalSpacing="md" striped aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>IP</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <Text size="sm" c="dimmed" component="time" dateTime={e.created_at} style={{ whiteSpace: 'nowrap' }}>
                      {fmt.dateTime(e.created_at)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {e.actor?.name ?? <Text span c="dimmed" size="sm">System</Text>}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={e.action}>
                      <Badge variant="light" color={actionColor(e.action)} style={{ textTransform: 'none' }}>
                        {actionLabels[e.action] ?? e.action}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <TargetCell {...describeTarget(e, names)} />
                  </Table.Td>
                  <Table.Td>{e.ip ? <Code>{e.ip}</Code> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Group justify="center">
        {events.hasNextPage ? (
          <Button variant="default" loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
            Load more
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            That is everything.
          </Text>
        )}
      </Group>
    </Stack>
  );
}
