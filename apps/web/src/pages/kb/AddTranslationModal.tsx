// Adds a language to an article: the editor switches to it, and saving creates the translation.
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';

const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;
const COMMON = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'sv', 'da', 'pl'];

export function AddTranslationModal({ opened, onClose, taken, onAdd }: { opened: boolean; onClose: () => void; taken: string[]; onAdd: (locale: string) => void }) {
  const [value, setValue] = useState('');
  const locale = value.trim();
  const error = !locale ? null : !LOCALE.test(locale) ? 'Use a language tag such as de, fr or pt-BR' : taken.includes(locale) ? 'This article already has that language' : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!locale || error) return;
    onAdd(locale);
    setValue('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Add a translation</Text>} size="sm">
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput label="Language" description="A language tag, such as de, fr or pt-BR" value={value} onChange={(e) => setValue(e.currentTarget.value)} error={error} data-autofocus />
          <Group gap={6}>
            {COMMON.filter((l) => !taken.includes(l)).map((l) => (
              <Button key={l} size="compact-xs" variant="light" onClick={() => setValue(l)}>
                {l}
              </Button>
            ))}
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!locale || !!error}>
              Add translation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
