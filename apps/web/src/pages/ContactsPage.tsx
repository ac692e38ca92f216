import { Anchor, Avatar, Button, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { EmptyState } from '@mantine/core';
import { IconAddressBook, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useContacts } from '../api/queries';
import { Page } from '../components/Page';
import { PageHeader } from '../components/PageHeader';
import { ErrorState, TableSkeleton } from '../components/QueryStates';
import { useFormat } from '../lib/format';

export function ContactsPage() {
  const contacts = useContacts();
  const fmt = useFormat();
  const [search, setSearch] = useState('');
  const q = search.trim().toLowerCase();
  const rows = (contacts.items ?? []).filter(
    (c) => !q || [c.name, c.email, c.phone, c.company].some((v) => v?.toLowerCase().includes(q)),
  );

  return (
    <Page size="xl">
      <Stack gap="lg">
      <PageHeader
        title="Contacts"
        description="Everyone who has talked to your team."
        actions={
          contacts.items && contacts.items.length > 0 ? (
            <TextInput
              aria-label="Search contacts"
              placeholder="Search contacts"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={{ base: '100%', xs: 260 }}
            />
          ) : undefined
        }
      />
      {contacts.isPending && <TableSkeleton columns={5} />}
      {contacts.isError && <ErrorState title="Could not load contacts" error={contacts.error} onRetry={() => void contacts.refetch()} />}
      {contacts.items?.length === 0 && (
        <Paper withBorder p="xl">
          <EmptyState
            variant="light"
            icon={<IconAddressBook size={24} />}
            title="No contacts yet"
            description="Contacts are created automatically when customers start a conversation."
          />
        </Paper>
      )}
      {contacts.items && contacts.items.length > 0 && (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th visibleFrom="sm">Email</Table.Th>
                  <Table.Th>Phone</Table.Th>
                  <Table.Th>Company</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Group gap="sm" wrap="nowrap">
                        <Avatar size={28} radius="xl" color="initials" name={c.name || c.email || '?'} />
                        <div style={{ minWidth: 0 }}>
                          <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
                            {c.name || <Text span c="dimmed" size="sm">Unnamed</Text>}
                          </Text>
                          {c.email && (
                            <Text size="xs" c="dimmed" hiddenFrom="sm">
                              {c.email}
                            </Text>
                          )}
                        </div>
                      </Group>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      {c.email ? (
                        <Anchor href={`mailto:${c.email}`} size="sm">
                          {c.email}
                        </Anchor>
                      ) : (
                        <Dash />
                      )}
                    </Table.Td>
                    <Table.Td>{c.phone ? <Text size="sm">{c.phone}</Text> : <Dash />}</Table.Td>
                    <Table.Td>{c.company ? <Text size="sm">{c.company}</Text> : <Dash />}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {fmt.date(c.created_at)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
                {rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed" ta="center" py="md">
                        No contacts match “{search}”.
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {contacts.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={contacts.isFetchingNextPage} onClick={() => void contacts.fetchNextPage()}>
            Load more
          </Button>
        </Group>
      )}
      </Stack>
    </Page>
  );
}

function Dash() {
  return (
    <Text size="sm" c="dimmed" aria-label="None">
      —
    </Text>
  );
}
