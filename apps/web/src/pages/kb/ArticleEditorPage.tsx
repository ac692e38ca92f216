// Writing one article: title and Markdown body per language, draft / publish / unpublish, the
// section, internal-only, description, keywords and related articles; its history (with restore)
// and what readers said about it.
import { Alert, Anchor, Badge, Box, Button, Grid, Group, Menu, Paper, Select, Stack, Switch, TagsInput, Text, TextInput, Textarea, MultiSelect, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useDocumentTitle } from '@mantine/hooks';
import { IconArrowLeft, IconChevronDown, IconExternalLink, IconHistory, IconLanguage, IconLock, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client';
import { ConfirmModal } from '../../components/ConfirmModal';
import { Page } from '../../components/Page';
import { ErrorState, FormSkeleton } from '../../components/QueryStates';
import { useFormat } from '../../lib/format';
import { useSession } from '../../lib/session';
import { AddTranslationModal } from './AddTranslationModal';
import { FeedbackPanel } from './FeedbackPanel';
import { statusColors, statusLabels } from './KnowledgeBasePage';
import { MarkdownEditor } from './MarkdownEditor';
import { RevisionsDrawer } from './RevisionsDrawer';
import { nameIn, useKbArticle, useKbArticles, useKbCategories, useKbInvalidate, useSaveArticle, type KbArticle, type KbStatus, type KbVisibility } from './kbApi';

interface Draft {
  title: string;
  body: string;
  description: string;
  keywords: string[];
}

const empty: Draft = { title: '', body: '', description: '', keywords: [] };

function draftOf(article: KbArticle | undefined, locale: string): Draft | undefined {
  const t = article?.translations.find((x) => x.locale === locale);
  return t ? { title: t.title, body: t.body, description: t.description, keywords: t.keywords } : undefined;
}

export function ArticleEditorPage() {
  const { articleId } = useParams();
  const id = articleId === 'new' ? undefined : articleId;
  const navigate = useNavigate();
  const { isAdmin } = useSession();
  const { dateTime } = useFormat();
  const article = useKbArticle(id);
  const categories = useKbCategories();
  const allArticles = useKbArticles();
  const save = useSaveArticle(id);
  const invalidate = useKbInvalidate();

  const [locale, setLocale] = useState('en');
  const [draft, setDraft] = useState<Draft>(empty);
  const [sectionId, setSectionId] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<KbVisibility>('public');
  const [relatedIds, setRelatedIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  // Said beside the buttons (a toast would cover them).
  const [saved, setSaved] = useState<string | null>(null);
  const [historyOpen, history] = useDisclosure(false);
  const [addOpen, addTranslation] = useDisclosure(false);
  const [deleteOpen, deleting] = useDisclosure(false);

  const data = article.data;
  const translation = data?.translations.find((t) => t.locale === locale);
  const stored = draftOf(data, locale);
  useDocumentTitle(`${draft.title || (id ? 'Article' : 'New article')} · Knowledge base · Rapport`);

  // The form follows what the server holds: on load, after a save or restore, and when switching language.
  const version = `${data?.id}|${locale}|${translation?.updated_at ?? 'new'}`;
  const [loaded, setLoaded] = useState<string | null>(null);
  useEffect(() => {
    if (!data || loaded === version) return;
    const first = loaded === null && !data.translations.some((t) => t.locale === locale) ? data.translations[0]?.locale : undefined;
    if (first) {
      setLocale(first);
      return;
    }
    setLoaded(version);
    if (stored) setDraft(stored);
    setSectionId(data.section_id);
    setVisibility(data.visibility);
    setRelatedIds(data.related_source === 'explicit' ? data.related.map((r) => r.id) : []);
  }, [data, version, loaded, locale, stored]);

  const explicitRelated = data?.related_source === 'explicit' ? data.related.map((r) => r.id) : [];
  const dirty =
    !stored ||
    JSON.stringify(stored) !== JSON.stringify(draft) ||
    (data !== undefined && (data.section_id !== sectionId || data.visibility !== visibility || JSON.stringify(explicitRelated) !== JSON.stringify(relatedIds)));

  const sectionOptions = useMemo(
    () => (categories.data ?? []).filter((c) => c.sections.length).map((c) => ({ group: nameIn(c.names), items: c.sections.map((s) => ({ value: s.id, label: nameIn(s.names, locale) })) })),
    [categories.data, locale],
  );
  const relatedOptions = useMemo(
    () => (allArticles.data ?? []).filter((a) => a.id !== id).map((a) => ({ value: a.id, label: (a.translations.find((t) => t.locale === locale) ?? a.translations[0])?.title ?? 'Untitled' })),
    [allArticles.data, id, locale],
  );

  const submit = async (status?: KbStatus) => {
    setError(null);
    setSaved(null);
    if (!draft.title.trim()) return setError('Give the article a title.');
    try {
      const saved = await save.mutateAsync({
        locale,
        title: draft.title,
        body: draft.body,
        description: draft.description,
        keywords: draft.keywords,
        ...(status ? { status } : id ? {} : { status: 'draft' as const }),
        section_id: sectionId,
        visibility,
        related_ids: relatedIds,
      });
      const verb = status === 'published' ? (translation?.status === 'published' ? 'Saved and still published' : 'Published') : status === 'draft' && translation?.status === 'published' ? 'Unpublished' : 'Saved';
      setSaved(`${verb} ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`);
      if (!id) void navigate(`/knowledge-base/${saved.id}`, { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (id && article.isPending) {
    return (
      <Page size="xl">
        <FormSkeleton fields={4} />
      </Page>
    );
  }
  if (id && article.isError) {
    return (
      <Page size="xl">
        <ErrorState error={article.error} title="Could not load this article" onRetry={() => void article.refetch()} />
      </Page>
    );
  }

  const status = translation?.status;
  const published = status === 'published';
  const locales = data?.translations.map((t) => t.locale) ?? [];
  if (!locales.includes(locale)) locales.push(locale);

  return (
    <Page size="xl">
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Button component={Link} to="/knowledge-base" variant="subtle" color="gray" leftSection={<IconArrowLeft size={16} />} px="xs">
              Knowledge base
            </Button>
            {status ? (
              <Badge variant="light" color={statusColors[status]} data-testid="kb-status">
                {statusLabels[status]}
              </Badge>
            ) : (
              <Badge variant="light" color="gray" data-testid="kb-status">
                Not saved yet
              </Badge>
            )}
            {visibility === 'internal' && (
              <Badge variant="light" color="violet" leftSection={<IconLock size={10} />}>
                Internal
              </Badge>
            )}
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite" data-testid="kb-saved">
              {dirty && saved ? 'Unsaved changes' : saved}
            </Text>
            {id && (
              <Button variant="default" leftSection={<IconHistory size={16} />} onClick={history.open}>
                History
              </Button>
            )}
            {published ? (
              <>
                <Button variant="default" onClick={() => void submit('draft')} loading={save.isPending}>
                  Unpublish
                </Button>
                <Button onClick={() => void submit('published')} loading={save.isPending} disabled={!dirty}>
                  Save changes
                </Button>
              </>
            ) : (
              <>
                <Button variant="default" onClick={() => void submit()} loading={save.isPending} disabled={!dirty}>
                  Save draft
                </Button>
                <Button onClick={() => void submit('published')} loading={save.isPending}>
                  Publish
                </Button>
              </>
            )}
          </Group>
        </Group>
        {error && (
          <Alert color="red" role="alert" title="Not saved">
            {error}
          </Alert>
        )}
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 9 }}>
            <Stack gap="md">
              <Group gap="xs" align="flex-end" wrap="nowrap">
                <TextInput
                  label="Title"
                  placeholder="A question a customer would ask, or what the article helps with"
                  value={draft.title}
                  onChange={(e) => setDraft({ ...draft, title: e.currentTarget.value })}
                  size="md"
                  style={{ flex: 1 }}
                  required
                />
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <Button variant="default" size="md" leftSection={<IconLanguage size={16} />} rightSection={<IconChevronDown size={14} />} aria-label={`Language: ${locale}`}>
                      {locale}
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Label>Languages</Menu.Label>
                    {locales.map((l) => {
                      const t = data?.translations.find((x) => x.locale === l);
                      return (
                        <Menu.Item key={l} onClick={() => setLocale(l)} rightSection={t ? <Badge size="xs" variant="light" color={statusColors[t.status]}>{statusLabels[t.status]}</Badge> : <Badge size="xs" variant="light" color="gray">new</Badge>} fw={l === locale ? 600 : undefined}>
                          {l}
                        </Menu.Item>
                      );
                    })}
                    {id && (
                      <>
                        <Menu.Divider />
                        <Menu.Item leftSection={<IconPlus size={14} />} onClick={addTranslation.open}>
                          Add translation
                        </Menu.Item>
                      </>
                    )}
                  </Menu.Dropdown>
                </Menu>
              </Group>
              {!stored && id && (
                <Text size="sm" c="dimmed">
                  A new {locale} translation: it is saved when you save or publish.
                </Text>
              )}
              <MarkdownEditor value={draft.body} onChange={(body) => setDraft({ ...draft, body })} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 3 }}>
            <Stack gap="md">
              <Paper withBorder p="md">
                <Stack gap="sm">
                  {translation?.published_at && (
                    <Text size="xs" c="dimmed">
                      First published {dateTime(translation.published_at)}
                    </Text>
                  )}
                  {translation?.url && (
                    <Anchor href={translation.url} target="_blank" rel="noopener" size="sm">
                      <Group gap={4} wrap="nowrap">
                        <IconExternalLink size={14} />
                        Open in the help center
                      </Group>
                    </Anchor>
                  )}
                  <Select label="Section" placeholder="No section" data={sectionOptions} value={sectionId} onChange={setSectionId} clearable searchable nothingFoundMessage="No such section" />
                  <Tooltip label="Internal articles are for agents only: never in the help center, the widget or the bot" multiline w={240}>
                    <Box>
                      <Switch label="Internal (agents only)" checked={visibility === 'internal'} onChange={(e) => setVisibility(e.currentTarget.checked ? 'internal' : 'public')} />
                    </Box>
                  </Tooltip>
                  <Textarea label="Description" description="The summary under the title in search results" value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })} autosize minRows={2} maxLength={300} />
                  <TagsInput label="Keywords" description="Words customers use that the text does not" value={draft.keywords} onChange={(keywords) => setDraft({ ...draft, keywords })} maxTags={30} clearable />
                  <MultiSelect
                    label="Related articles"
                    description={data?.related_source === 'section' && data.related.length ? 'None chosen: readers see others from the same section' : undefined}
                    data={relatedOptions}
                    value={relatedIds}
                    onChange={setRelatedIds}
                    searchable
                    maxValues={20}
                    nothingFoundMessage="No such article"
                  />
                </Stack>
              </Paper>
              {id && <FeedbackPanel articleId={id} />}
              {id && isAdmin && (
                <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={deleting.open}>
                  Delete article
                </Button>
              )}
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
      {id && (
        <RevisionsDrawer
          opened={historyOpen}
          onClose={history.close}
          articleId={id}
          locale={locale}
          onRestored={() => {
            // The restored text replaces the form's (the effect above reloads it).
            setLoaded(null);
            history.close();
          }}
        />
      )}
      {id && (
        <AddTranslationModal
          opened={addOpen}
          onClose={addTranslation.close}
          taken={data?.translations.map((t) => t.locale) ?? []}
          onAdd={(l) => {
            setLocale(l);
            // A translation usually starts from the text it translates.
            setDraft({ title: '', body: draft.body, description: '', keywords: [] });
            setLoaded(`${data?.id}|${l}|new`);
          }}
        />
      )}
      {id && (
        <ConfirmModal
          opened={deleteOpen}
          onClose={deleting.close}
          title="Delete this article?"
          confirmLabel="Delete article"
          onConfirm={async () => {
            await api.del(`/kb/articles/${id}`);
            await invalidate();
            void navigate('/knowledge-base');
          }}
        >
          <Text size="sm">Every translation, its history and its votes go too. This cannot be undone.</Text>
        </ConfirmModal>
      )}
      <VisuallyHidden>
        <Title order={1}>{draft.title || 'New article'}</Title>
      </VisuallyHidden>
    </Page>
  );
}
