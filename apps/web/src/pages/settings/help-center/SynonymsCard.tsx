import { ActionIcon, Alert, Badge, Button, Group, Paper, Stack, Table, TagsInput, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../../api/client';
import { helpCenterKeys, useSynonyms, type SynonymGroup } from '../../../api/help-center';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { SettingsCard } from '../SettingsCard';

/** Words a search treats as one: customers say "money back", the article says "refund". */
export function SynonymsCard() {
  const synonyms = useSynonyms();
  return (
    <SettingsCard
      title="Synonyms"
      description="Words and phrases a search treats as the same, so customers find an article in their own words. Common ones (refund / money back, cancel / terminate…) are built in for English and German."
    >
      <AddGroup />
      {synonyms.isPending ? (
        <TableSkeleton columns={2} rows={2} />
      ) : synonyms.isError ? (
        <ErrorState title="Could not load the synonyms" error={synonyms.error} onRetry={() => void synonyms.refetch()} />
      ) : synonyms.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No synonym groups yet. Look at the searches that found nothing below for words your customers use.
        </Text>
      ) : (
        <Paper withBorder p={0}>
          <Table verticalSpacing="xs" aria-label="Synonym groups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Treated as the same</Table.Th>
                <Table.Th w={80}>Language</Table.Th>
                <Table.Th w={60}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {synonyms.data.map((g) => (
                <GroupRow key={g.id} group={g} />
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </SettingsCard>
  );
}

function AddGroup() {
  const queryClient = useQueryClient();
  const [terms, setTerms] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const add = async () => {
    setError(null);
    if (terms.length < 2) return setError('Give at least two words or phrases.');
    setSaving(true);
    try {
      await api.post('/kb/synonyms', { terms });
      setTerms([]);
      await queryClient.invalidateQueries({ queryKey: helpCenterKeys.synonyms });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Stack gap="xs">
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error}
        </Alert>
      )}
      <Group align="flex-end" wrap="nowrap">
        <TagsInput
          style={{ flex: 1 }}
          label="New synonym group"
          description="Type a word or phrase and press Enter; add two or more."
          placeholder="refund, money back, reimbursement"
          value={terms}
          onChange={setTerms}
          maxTags={20}
        />
        <Button onClick={() => void add()} loading={saving}>
          Add group
        </Button>
      </Group>
    </Stack>
  );
}

function GroupRow({ group }: { group: SynonymGroup }) {
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const label = group.terms.join(', ');
  const remove = async () => {
    setDeleting(true);
    try {
      await api.del(`/kb/synonyms/${group.id}`);
      await queryClient.invalidateQueries({ queryKey: helpCenterKeys.synonyms });
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
      setDeleting(false);
    }
  };
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap={6}>
          {group.terms.map((t) => (
            <Badge key={t} variant="light" tt="none">
              {t}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{group.locale ?? 'All'}</Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label="Remove group">
          <ActionIcon variant="subtle" color="red" aria-label={`Remove the group ${label}`} loading={deleting} onClick={() => void remove()}>
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}
