import { Anchor, Avatar, Group, Paper, Table, Text, TextInput } from '@mantine/core';
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
  const rows = (contacts.data ?? []).filter(
    (c) => !q || [c.name, c.email, c.phone, c.company].some((v) => v?.toLowerCase().includes(q)),
  );

  return (
    <Page size="xl">
      <PageHeader
        title="Contacts"
        description="Everyone who has talked to your team."
        actions={
          contacts.data && contacts.data.length > 0 ? (
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
      {contacts.isError && <ErrorState error={contacts.error} onRetry={() => void contacts.refetch()} />}
      {contacts.data?.length === 0 && (
        <Paper withBorder p="xl">
          <EmptyState
            variant="light"
            icon={<IconAddressBook size={24} />}
            title="No contacts yet"
            description="Contacts are created automatically when customers start a conversation."
          />
        </Paper>
      )}
      {contacts.data && contacts.data.length > 0 && (
        <Paper withBorder p={0} style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Email</Table.Th>
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
                        <Text size="sm" fw={500}>
                          {c.name || <Text span c="dimmed" size="sm">Unnamed</Text>}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
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
