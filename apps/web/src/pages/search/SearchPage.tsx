import { Button, EmptyState, Group, Paper, Select, Skeleton, Stack, Tabs, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconSearch, IconSearchOff } from '@tabler/icons-react';
import { useEffect, useEffectEvent, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useInboxes } from '../../api/queries';
import { exportUrl, useSearch, type SearchType } from '../../api/search';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState } from '../../components/QueryStates';
import { SearchResult } from './SearchResult';

const TYPES: Array<{ value: SearchType; label: string }> = [
  { value: 'conversations', label: 'Conversations' },
  { value: 'messages', label: 'Messages' },
  { value: 'contacts', label: 'Contacts' },
];
const FILTERS = ['status', 'inbox_id', 'from', 'to'] as const;
const hasWord = (q: string) => /[\p{L}\p{N}]/u.test(q);

/** Every result of a search, by tab, with filters; the address keeps the query, tab and filters. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const inboxes = useInboxes();
  const [text, setText] = useState(params.get('q') ?? '');
  const [typed] = useDebouncedValue(text.trim(), 300);
  const type = (TYPES.find((t) => t.value === params.get('type'))?.value ?? 'conversations');
  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  // Search as you type: the address follows the box (after a pause).
  const follow = useEffectEvent((value: string) => {
    if (value !== (params.get('q') ?? '')) set('q', value || null);
  });
  useEffect(() => follow(typed), [typed]);
  // …and the box follows the address (the header's search, back and forward).
  const q = params.get('q') ?? '';
  useEffect(() => setText(q), [q]);

  const query = new URLSearchParams({ q, type });
  for (const name of FILTERS) {
    const v = params.get(name);
    if (v) query.set(name, v);
  }
  const ready = hasWord(q);
  const results = useSearch(query.toString(), ready);
  const filtered = FILTERS.some((f) => params.get(f));
  const exportQuery = new URLSearchParams(query);
  exportQuery.delete('type');

  return (
    <Page size="lg">
      <Stack gap="lg">
        <PageHeader
          title="Search"
          description="Conversations, messages and contacts. Every word must match; the last one may be the start of a word."
          actions={
            ready && type === 'conversations' ? (
              <Button component="a" href={exportUrl(exportQuery.toString())} download variant="default" leftSection={<IconDownload size={16} />}>
                Export CSV
              </Button>
            ) : undefined
          }
        />
        <TextInput
          aria-label="Search for"
          placeholder="Words to find, e.g. refund kettle"
          leftSection={<IconSearch size={16} />}
          size="md"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autoFocus={!q}
        />
        <Group gap="sm" wrap="wrap" align="flex-end">
          <Select
            label="Status"
            size="xs"
            w={140}
            data={[
              { value: 'open', label: 'Open' },
              { value: 'pending', label: 'Pending' },
              { value: 'snoozed', label: 'Snoozed' },
              { value: 'resolved', label: 'Resolved' },
            ]}
            placeholder="Any status"
            clearable
            value={params.get('status')}
            onChange={(v) => set('status', v)}
          />
          <Select
            label="Inbox"
            size="xs"
            w={180}
            data={(inboxes.data ?? []).map((i) => ({ value: i.id, label: i.name }))}
            placeholder="All inboxes"
            clearable
            value={params.get('inbox_id')}
            onChange={(v) => set('inbox_id', v)}
          />
          <TextInput label="From" type="date" size="xs" w={150} value={params.get('from') ?? ''} onChange={(e) => set('from', e.currentTarget.value || null)} />
          <TextInput label="To" type="date" size="xs" w={150} value={params.get('to') ?? ''} onChange={(e) => set('to', e.currentTarget.value || null)} />
          {filtered && (
            <Button variant="subtle" color="gray" size="xs" onClick={() => setParams(new URLSearchParams({ q, type }), { replace: true })}>
              Clear filters
            </Button>
          )}
        </Group>
        <Tabs value={type} onChange={(v) => set('type', v === 'conversations' ? null : v)}>
          <Tabs.List>
            {TYPES.map((t) => (
              <Tabs.Tab key={t.value} value={t.value}>
                {t.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        {!ready && <EmptyState variant="light" icon={<IconSearch size={22} />} title="Search your conversations" description="Type a word from a message, a subject, or a customer’s name, address or number." />}
        {ready && results.isPending && (
          <Stack gap="sm" aria-busy="true" aria-label="Loading results">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} h={72} radius="md" />
            ))}
          </Stack>
        )}
        {ready && results.isError && <ErrorState title="Could not search" error={results.error} onRetry={() => void results.refetch()} />}
        {ready && results.items?.length === 0 && (
          <EmptyState variant="light" color="gray" icon={<IconSearchOff size={22} />} title="Nothing found" description={filtered ? 'No results with these filters; try clearing them.' : 'Try other words, or another tab.'} />
        )}
        {ready && results.items && results.items.length > 0 && (
          <Paper withBorder radius="md" p={0} component="section" aria-label="Results" aria-busy={results.isPlaceholderData || undefined} style={{ opacity: results.isPlaceholderData ? 0.6 : 1 }}>
            {results.items.map((hit) => (
              <SearchResult key={`${hit.type}:${hit.message?.id ?? hit.contact?.id ?? hit.conversation?.id}`} hit={hit} />
            ))}
          </Paper>
        )}
        {results.hasNextPage && (
          <Group justify="center">
            <Button variant="default" loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>
    </Page>
  );
}
