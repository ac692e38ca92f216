import { ActionIcon, Combobox, Group, Kbd, Loader, Stack, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useSearchSuggestions } from '../api/search';
import { Highlighted } from '../pages/search/Highlighted';
import { contactName } from '../pages/inbox/inbox';

const ALL = '__all__';

/** Whether a key press is typed into something (a field, an editor) rather than meant for the page. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** The header's search: "/" or Ctrl+K focuses it; suggestions come as you type; Enter shows every result. */
export function SearchBox() {
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [q] = useDebouncedValue(value.trim(), 250);
  const suggestions = useSearchSuggestions(q);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target);
      if (!ctrlK && !slash) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const showAll = () => {
    if (!value.trim()) return;
    combobox.closeDropdown();
    input.current?.blur();
    // The results page has its own box with the words; this one is free for the next search.
    setValue('');
    void navigate(`/search?${new URLSearchParams({ q: value.trim() }).toString()}`);
  };

  const hits = q ? (suggestions.data ?? []) : [];
  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(id) => {
        if (id === ALL) return showAll();
        combobox.closeDropdown();
        setValue('');
        input.current?.blur();
        void navigate(`/inbox/${id}`);
      }}
    >
      <Combobox.Target>
        <TextInput
          ref={input}
          aria-label="Search"
          placeholder="Search"
          leftSection={<IconSearch size={16} />}
          rightSection={suggestions.isFetching && q ? <Loader size={14} /> : <Kbd size="xs">/</Kbd>}
          rightSectionPointerEvents="none"
          w={{ base: 200, md: 300 }}
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onFocus={() => value && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && combobox.getSelectedOptionIndex() === -1) {
              e.preventDefault();
              showAll();
            }
            if (e.key === 'Escape') input.current?.blur();
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!value.trim()} miw={340}>
        <Combobox.Options aria-label="Search suggestions">
          {suggestions.isError && <Combobox.Empty>{suggestions.error.message}</Combobox.Empty>}
          {hits.map((h) =>
            h.conversation ? (
              <Combobox.Option value={h.conversation.id} key={h.conversation.id}>
                <Stack gap={0}>
                  <Group justify="space-between" wrap="nowrap" gap="xs">
                    <Text size="sm" fw={600} truncate>
                      {h.conversation.subject || 'No subject'}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                      {contactName(h.conversation)}
                    </Text>
                  </Group>
                  <Highlighted snippet={h.snippet} size="xs" c="dimmed" lineClamp={1} />
                </Stack>
              </Combobox.Option>
            ) : null,
          )}
          {q && suggestions.isSuccess && hits.length === 0 && <Combobox.Empty>No conversations match</Combobox.Empty>}
          <Combobox.Option value={ALL}>
            <Text size="sm" c="blue">
              See all results for “{value.trim()}”
            </Text>
          </Combobox.Option>
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}

/** On a phone the header has no room for the box: a button opens the search page instead. */
export function SearchButton() {
  const navigate = useNavigate();
  return (
    <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Search" onClick={() => void navigate('/search')}>
      <IconSearch size={18} />
    </ActionIcon>
  );
}
