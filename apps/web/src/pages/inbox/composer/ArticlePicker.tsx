// Knowledge base articles in the reply box: search published articles (internal ones too) and
// insert one as a link to the help center or as its text. Arrows choose, Enter inserts the link
// (the text for an internal article), Shift+Enter the text, Esc closes. The server learns that the
// article answered the customer's last message.
import { ActionIcon, Badge, Button, Group, Loader, Popover, ScrollArea, Stack, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { IconBook2, IconSearch } from '@tabler/icons-react';
import { useState, type KeyboardEvent } from 'react';
import { api, errorMessage } from '../../../api/client';
import { useKbSearch, type KbHit } from '../../kb/kbApi';

const LIST_ID = 'kb-article-options';

interface Props {
  conversationId: string;
  disabled?: boolean;
  onInsert: (text: string) => void;
}

export function ArticlePicker({ conversationId, disabled, onInsert }: Props) {
  const [opened, setOpened] = useState(false);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const search = useKbSearch(opened ? q : '');
  const hits = q.trim().length > 1 ? (search.data ?? []) : [];
  const selected = Math.min(active, hits.length - 1);

  const close = () => {
    setOpened(false);
    setQ('');
    setError(null);
    setActive(0);
  };

  const insert = async (hit: KbHit, as: 'link' | 'text') => {
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ text: string }>(`/kb/articles/${hit.id}/insert`, { conversation_id: conversationId, as, locale: hit.locale });
      close();
      onInsert(res.text);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!hits.length) return;
      event.preventDefault();
      setActive((selected + (event.key === 'ArrowDown' ? 1 : -1) + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = hits[selected];
      if (hit && !busy) void insert(hit, event.shiftKey || hit.visibility === 'internal' ? 'text' : 'link');
    }
  };

  return (
    <Popover opened={opened} onChange={(o) => (o ? setOpened(true) : close())} position="top-start" width={420} shadow="md" trapFocus withinPortal>
      <Popover.Target>
        <Tooltip label="Insert an article" disabled={opened}>
          <ActionIcon variant="subtle" color="gray" aria-label="Insert a knowledge base article" aria-expanded={opened} disabled={disabled} onClick={() => (opened ? close() : setOpened(true))}>
            <IconBook2 size={18} />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <Stack gap="xs">
          <TextInput
            data-autofocus
            placeholder="Search the knowledge base"
            aria-label="Search articles"
            leftSection={<IconSearch size={14} />}
            rightSection={search.isFetching ? <Loader size="xs" /> : null}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls={LIST_ID}
            aria-activedescendant={hits.length ? `${LIST_ID}-${hits[selected]!.id}` : undefined}
            aria-autocomplete="list"
          />
          {error && (
            <Text size="xs" c="red" role="alert">
              {error}
            </Text>
          )}
          {q.trim().length < 2 ? (
            <Text size="xs" c="dimmed">
              Type a few words of the question. Enter inserts a link, Shift+Enter the text.
            </Text>
          ) : search.isError ? (
            <Text size="xs" c="red">
              Could not search: {errorMessage(search.error)}
            </Text>
          ) : hits.length === 0 && !search.isFetching ? (
            <Text size="xs" c="dimmed">
              No published article matches “{q.trim()}”.
            </Text>
          ) : (
            <ScrollArea.Autosize mah={300}>
              <Stack gap={2} id={LIST_ID} role="listbox" aria-label="Articles">
                {hits.map((hit, i) => (
                  <Group
                    key={`${hit.id}-${hit.locale}`}
                    id={`${LIST_ID}-${hit.id}`}
                    role="option"
                    aria-selected={i === selected}
                    gap="xs"
                    wrap="nowrap"
                    p={6}
                    style={{ borderRadius: 'var(--mantine-radius-sm)', background: i === selected ? 'var(--mantine-color-default-hover)' : undefined }}
                    onMouseEnter={() => setActive(i)}
                  >
                    <UnstyledButton style={{ flex: 1, minWidth: 0 }} tabIndex={-1} onClick={() => void insert(hit, hit.visibility === 'internal' ? 'text' : 'link')}>
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500} truncate>
                          {hit.title}
                        </Text>
                        <Badge size="xs" variant="outline" color="gray">
                          {hit.locale}
                        </Badge>
                        {hit.visibility === 'internal' && (
                          <Badge size="xs" variant="light" color="violet">
                            Internal
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {hit.description || hit.passage}
                      </Text>
                    </UnstyledButton>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="light" tabIndex={-1} disabled={busy || hit.visibility === 'internal'} onClick={() => void insert(hit, 'link')} aria-label={`Insert a link to ${hit.title}`}>
                        Link
                      </Button>
                      <Button size="compact-xs" variant="default" tabIndex={-1} disabled={busy} onClick={() => void insert(hit, 'text')} aria-label={`Insert the text of ${hit.title}`}>
                        Text
                      </Button>
                    </Group>
                  </Group>
                ))}
              </Stack>
            </ScrollArea.Autosize>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
