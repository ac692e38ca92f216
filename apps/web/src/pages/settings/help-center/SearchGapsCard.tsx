import { Paper, SegmentedControl, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useSearchGaps } from '../../../api/help-center';
import { ErrorState, TableSkeleton } from '../../../components/QueryStates';
import { SettingsCard } from '../SettingsCard';

/** What readers searched for (help center, widget, bot, API) without finding an article: the articles to write next. */
export function SearchGapsCard() {
  const [days, setDays] = useState('30');
  const gaps = useSearchGaps(Number(days));
  return (
    <SettingsCard title="Searches that found nothing" description="What customers looked for in the help center, the chat widget, the answer bot and the API without finding an article — the articles to write next.">
      <SegmentedControl
        aria-label="Period"
        value={days}
        onChange={setDays}
        data={[
          { value: '7', label: '7 days' },
          { value: '30', label: '30 days' },
          { value: '90', label: '90 days' },
        ]}
        w="fit-content"
      />
      {gaps.isPending ? (
        <TableSkeleton columns={3} rows={3} />
      ) : gaps.isError ? (
        <ErrorState title="Could not load the searches" error={gaps.error} onRetry={() => void gaps.refetch()} />
      ) : gaps.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          Every search in this period found an article.
        </Text>
      ) : (
        <Paper withBorder p={0}>
          <Table.ScrollContainer minWidth={360}>
            <Table verticalSpacing="xs" aria-label="Searches that found nothing">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Search</Table.Th>
                  <Table.Th w={90}>Language</Table.Th>
                  <Table.Th w={150} ta="right">
                    Without result
                  </Table.Th>
                  <Table.Th w={140} visibleFrom="sm">
                    Last searched
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {gaps.data.map((g) => (
                  <Table.Tr key={`${g.query}|${g.locale}`}>
                    <Table.Td>
                      <Text size="sm">{g.query}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{g.locale || '—'}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">
                        {g.without_results} of {g.searches}
                      </Text>
                    </Table.Td>
                    <Table.Td visibleFrom="sm">
                      <Text size="sm">{new Date(g.last_searched_at).toLocaleDateString()}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </SettingsCard>
  );
}
