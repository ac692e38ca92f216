import { Badge, Button, Code, EmptyState, Paper, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys, useTokens } from '../../api/queries';
import type { ApiToken, CreatedApiToken } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { roleColors, roleLabels, useSession } from '../../lib/session';
import { CreateTokenModal, TokenCreatedModal } from './TokenModals';

export function TokensSettings() {
  const { isAdmin } = useSession();
  const [creating, createModal] = useDisclosure(false);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  return (
    <Stack gap="lg">
      <PageHeader
        title="API tokens"
        description={
          isAdmin
            ? 'Tokens let scripts and integrations use the Rapport API. You see every token in this workspace.'
            : 'Tokens let your scripts use the Rapport API as you. You see your own tokens.'
        }
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={createModal.open}>
            Create token
          </Button>
        }
      />
      <TokenTable />
      <CreateTokenModal
        opened={creating}
        onClose={createModal.close}
        onCreated={(t) => {
          createModal.close();
          setCreated(t);
        }}
      />
      <TokenCreatedModal token={created} onClose={() => setCreated(null)} />
    </Stack>
  );
}

function TokenTable() {
  const tokens = useTokens();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  if (tokens.isPending) return <TableSkeleton columns={6} rows={3} />;
  if (tokens.isError) return <ErrorState title="Could not load API tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />;
  return (
    <>
      {tokens.data.length === 0 ? (
        <Paper withBorder p="xl">
          <EmptyState
            variant="light"
            icon={<IconKey size={24} />}
            title="No API tokens"
            description="Create a token to connect scripts, automations or other tools to Rapport."
          />
        </Paper>
      ) : (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Prefix</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th w={90} aria-label="Actions" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {t.name}
                      </Text>
                      {t.user && (
                        <Text size="xs" c="dimmed">
                          by {t.user.name}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={roleColors[t.role]}>
                        {roleLabels[t.role]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Code>{t.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {fmt.date(t.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" title={t.last_used_at ? fmt.dateTime(t.last_used_at) : undefined}>
                        {t.last_used_at ? fmt.relative(t.last_used_at) : 'Never'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                        Revoke
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ConfirmModal
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke API token"
        confirmLabel="Revoke token"
        onConfirm={async () => {
          if (!revoking) return;
          await api.del(`/tokens/${revoking.id}`);
          await queryClient.invalidateQueries({ queryKey: keys.tokens });
          notifications.show({ color: 'teal', message: `Token “${revoking.name}” revoked` });
        }}
      >
        Anything using “{revoking?.name}” will stop working immediately. This cannot be undone.
      </ConfirmModal>
    </>
  );
}
