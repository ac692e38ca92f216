// The knowledge base: every article grouped by category and section, with its languages, status,
// views and share of helpful votes; a search over titles; categories and import/export for admins.
import { Anchor, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBook2, IconFileImport, IconFolders, IconLock, IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Page } from '../../components/Page';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, TableSkeleton } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { useSession } from '../../lib/session';
import { CategoriesModal } from './CategoriesModal';
import { ImportExportModal } from './ImportExportModal';
import { nameIn, useKbArticles, useKbCategories, type KbArticleSummary, type KbStatus } from './kbApi';
import classes from './kb.module.css';

type Filter = 'all' | 'published' | 'draft' | 'internal';

export const statusColors: Record<KbStatus, string> = { published: 'teal', draft: 'gray', archived: 'orange' };
export const statusLabels: Record<KbStatus, string> = { published: 'Published', draft: 'Draft', archived: 'Archived' };

function matches(a: KbArticleSummary, filter: Filter, q: string): boolean {
  if (filter === 'internal' && a.visibility !== 'internal') return false;
  if ((filter === 'published' || filter === 'draft') && !a.translations.some((t) => t.status === filter)) return false;
  return !q || a.translations.some((t) => t.title.toLowerCase().includes(q));
}

function ArticleRows({ articles }: { articles: KbArticleSummary[] }) {
  const navigate = useNavigate();
  const { relative } = useFormat();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={220}>Title</Table.Th>
            <Table.Th w={150}>Status</Table.Th>
            <Table.Th w={120}>Languages</Table.Th>
            <Table.Th w={70} ta="right">
              Views
            </Table.Th>
            <Table.Th w={90} ta="right">
              Helpful
            </Table.Th>
            <Table.Th w={120}>Updated</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {articles.map((a) => {
            const main = a.translations[0];
            const statuses = [...new Set(a.translations.map((t) => t.status))];
            const votes = a.helpful_count + a.unhelpful_count;
            return (
              <Table.Tr key={a.id} className={classes.row} onClick={() => navigate(`/knowledge-base/${a.id}`)}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`/knowledge-base/${a.id}`} onClick={(e) => e.stopPropagation()} fw={500} size="sm">
                      {main?.title ?? 'Untitled'}
                    </Anchor>
                    {a.visibility === 'internal' && (
                      <Tooltip label="Internal: agents only">
                        <Badge size="xs" variant="light" color="violet" leftSection={<IconLock size={10} />}>
                          Internal
                        </Badge>
                      </Tooltip>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {statuses.map((s) => (
                      <Badge key={s} size="sm" variant="light" color={statusColors[s]}>
                        {statusLabels[s]}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {a.translations.map((t) => (
                      <Badge key={t.locale} size="sm" variant="outline" color={t.status === 'published' ? 'teal' : 'gray'} title={`${t.locale}: ${statusLabels[t.status]}`}>
                        {t.locale}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{a.view_count.toLocaleString()}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c={a.helpful_percent === null ? 'dimmed' : a.helpful_percent < 50 ? 'red' : undefined} title={`${votes} vote${votes === 1 ? '' : 's'}`}>
                    {a.helpful_percent === null ? '—' : `${a.helpful_percent}%`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {relative(a.updated_at)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function KnowledgeBasePage() {
  const { isAdmin } = useSession();
  const navigate = useNavigate();
  const articles = useKbArticles();
  const categories = useKbCategories();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [categoriesOpen, categoriesModal] = useDisclosure(false);
  const [importOpen, importModal] = useDisclosure(false);
  const q = search.trim().toLowerCase();

  const groups = useMemo(() => {
    const shown = (articles.data ?? []).filter((a) => matches(a, filter, q)).sort((x, y) => x.position - y.position || (x.translations[0]?.title ?? '').localeCompare(y.translations[0]?.title ?? ''));
    const sectionIds = new Set((categories.data ?? []).flatMap((c) => c.sections.map((s) => s.id)));
    const tree = (categories.data ?? []).map((c) => ({
      category: c,
      sections: c.sections.map((s) => ({ section: s, articles: shown.filter((a) => a.section_id === s.id) })).filter((s) => s.articles.length > 0),
    }));
    return { tree: tree.filter((c) => c.sections.length > 0), unsorted: shown.filter((a) => !a.section_id || !sectionIds.has(a.section_id)), count: shown.length };
  }, [articles.data, categories.data, filter, q]);

  const total = articles.data?.length ?? 0;
  const loading = articles.isPending || categories.isPending;
  const error = articles.error ?? categories.error;

  return (
    <Page size="xl">
      <Stack gap="lg">
        <PageHeader
          title="Knowledge base"
          description="Answers your customers can find themselves, and your team can insert into replies."
          actions={
            <>
              {isAdmin && (
                <Button variant="default" leftSection={<IconFolders size={16} />} onClick={categoriesModal.open}>
                  Categories
                </Button>
              )}
              {isAdmin && (
                <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={importModal.open}>
                  Import / export
                </Button>
              )}
              <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/knowledge-base/new')}>
                New article
              </Button>
            </>
          }
        />
        {total > 0 && (
          <Group gap="sm" wrap="wrap">
            <TextInput
              placeholder="Search titles"
              aria-label="Search articles"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              style={{ flex: '1 1 16rem', maxWidth: 420 }}
            />
            <SegmentedControl
              aria-label="Show"
              value={filter}
              onChange={(v) => setFilter(v as Filter)}
              data={[
                { value: 'all', label: 'All' },
                { value: 'published', label: 'Published' },
                { value: 'draft', label: 'Drafts' },
                { value: 'internal', label: 'Internal' },
              ]}
            />
          </Group>
        )}
        {loading ? (
          <TableSkeleton columns={6} />
        ) : error ? (
          <ErrorState error={error} title="Could not load the knowledge base" onRetry={() => void Promise.all([articles.refetch(), categories.refetch()])} />
        ) : total === 0 ? (
          <Paper withBorder p="xl">
            <Stack align="center" gap="sm" py="lg">
              <IconBook2 size={36} stroke={1.5} color="var(--mantine-color-dimmed)" aria-hidden />
              <Title order={2} size="h4">
                No articles yet
              </Title>
              <Text c="dimmed" size="sm" ta="center" maw={420}>
                Write down the answers your team gives most often. Published articles appear in the help center and can be inserted into replies.
              </Text>
              <Group>
                <Button leftSection={<IconPlus size={16} />} onClick={() => navigate('/knowledge-base/new')}>
                  Write the first article
                </Button>
                {isAdmin && (
                  <Button variant="default" onClick={importModal.open}>
                    Import Markdown files
                  </Button>
                )}
              </Group>
            </Stack>
          </Paper>
        ) : groups.count === 0 ? (
          <Paper withBorder p="xl">
            <Text c="dimmed" ta="center">
              No articles match{q ? ` “${search.trim()}”` : ''}.
            </Text>
          </Paper>
        ) : (
          <Stack gap="xl">
            {groups.tree.map(({ category, sections }) => (
              <Stack key={category.id} gap="sm">
                <Title order={2} size="h4">
                  {nameIn(category.names)}
                </Title>
                {sections.map(({ section, articles: list }) => (
                  <Paper key={section.id} withBorder>
                    <Text fw={600} size="sm" px="md" pt="sm">
                      {nameIn(section.names)}
                    </Text>
                    <ArticleRows articles={list} />
                  </Paper>
                ))}
              </Stack>
            ))}
            {groups.unsorted.length > 0 && (
              <Stack gap="sm">
                <Title order={2} size="h4">
                  Not in a section
                </Title>
                <Paper withBorder>
                  <ArticleRows articles={groups.unsorted} />
                </Paper>
              </Stack>
            )}
          </Stack>
        )}
      </Stack>
      {isAdmin && <CategoriesModal opened={categoriesOpen} onClose={categoriesModal.close} />}
      {isAdmin && <ImportExportModal opened={importOpen} onClose={importModal.close} />}
    </Page>
  );
}
