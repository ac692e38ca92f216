// Every saved version of the article in the language being edited, newest first; restoring one
// saves its text again as the newest version (the history itself never changes).
import { Badge, Button, Drawer, Group, Paper, ScrollArea, Skeleton, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { ErrorState } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { statusColors, statusLabels } from './KnowledgeBasePage';
import { kbKeys, useKbRevisions, type KbArticle } from './kbApi';

interface Props {
  opened: boolean;
  onClose: () => void;
  articleId: string;
  locale: string;
  onRestored: () => void;
}

export function RevisionsDrawer({ opened, onClose, articleId, locale, onRestored }: Props) {
  const revisions = useKbRevisions(articleId, opened);
  const client = useQueryClient();
  const { dateTime } = useFormat();
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = (revisions.data ?? []).filter((r) => r.locale === locale);

  const restore = async (revisionId: string) => {
    setBusy(revisionId);
    setError(null);
    try {
      const article = await api.post<KbArticle>(`/kb/articles/${articleId}/revisions/${revisionId}/restore`);
      client.setQueryData(kbKeys.article(articleId), article);
      await client.invalidateQueries({ queryKey: kbKeys.all });
      onRestored();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Drawer opened={opened} onClose={onClose} position="right" size="md" title={<Text fw={600}>History ({locale})</Text>} scrollAreaComponent={ScrollArea.Autosize}>
      <Stack gap="sm">
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        {revisions.isPending ? (
          Array.from({ length: 3 }, (_, i) => <Skeleton key={i} height={64} />)
        ) : revisions.isError ? (
          <ErrorState error={revisions.error} onRetry={() => void revisions.refetch()} />
        ) : list.length === 0 ? (
          <Text c="dimmed" size="sm">
            No saved versions in this language yet.
          </Text>
        ) : (
          list.map((r, i) => (
            <Paper key={r.id} withBorder p="sm" data-testid="kb-revision">
              <Stack gap={6}>
                <Group justify="space-between" gap="xs" wrap="nowrap">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>
                      {r.title}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {dateTime(r.created_at)} · {r.author?.name ?? 'Imported'}
                    </Text>
                  </Stack>
                  <Group gap={6} wrap="nowrap">
                    {i === 0 && (
                      <Badge size="xs" variant="light">
                        Current
                      </Badge>
                    )}
                    <Badge size="xs" variant="light" color={statusColors[r.status]}>
                      {statusLabels[r.status]}
                    </Badge>
                  </Group>
                </Group>
                <Group gap="xs">
                  <Button size="compact-xs" variant="subtle" onClick={() => setOpen(open === r.id ? null : r.id)} aria-expanded={open === r.id}>
                    {open === r.id ? 'Hide text' : 'Show text'}
                  </Button>
                  {i > 0 && (
                    <Button size="compact-xs" variant="light" loading={busy === r.id} disabled={busy !== null} onClick={() => void restore(r.id)} aria-label={`Restore the version of ${dateTime(r.created_at)}`}>
                      Restore
                    </Button>
                  )}
                </Group>
                {open === r.id && (
                  <Text size="xs" component="pre" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontFamily: 'var(--mantine-font-family-monospace)', margin: 0 }}>
                    {r.body || '(empty)'}
                  </Text>
                )}
              </Stack>
            </Paper>
          ))
        )}
      </Stack>
    </Drawer>
  );
}
