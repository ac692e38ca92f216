// Categories and their sections (admins): add, rename, reorder and delete. Names here are the
// English ones; other languages come with imported files or the API (names per locale).
import { ActionIcon, Button, Group, Modal, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorState, FormSkeleton } from '../../components/QueryStates';
import { nameIn, useKbCategories, useKbInvalidate, type KbCategory, type KbSection } from './kbApi';

type Item = { kind: 'categories' | 'sections'; id: string; names: Record<string, string>; position: number };

function NameField({ item, label, onError }: { item: Item; label: string; onError: (message: string | null) => void }) {
  const invalidate = useKbInvalidate();
  const [value, setValue] = useState(nameIn(item.names));
  const save = async () => {
    const name = value.trim();
    if (!name || name === nameIn(item.names)) return setValue(nameIn(item.names));
    try {
      await api.patch(`/kb/${item.kind}/${item.id}`, { names: { ...item.names, en: name } });
      onError(null);
      await invalidate();
    } catch (err) {
      onError(errorMessage(err));
    }
  };
  return <TextInput aria-label={label} value={value} onChange={(e) => setValue(e.currentTarget.value)} onBlur={() => void save()} onKeyDown={(e) => e.key === 'Enter' && void save()} style={{ flex: 1 }} size="sm" />;
}

function Controls({ item, siblings, label, onDelete, onError }: { item: Item; siblings: Item[]; label: string; onDelete: () => void; onError: (message: string | null) => void }) {
  const invalidate = useKbInvalidate();
  const index = siblings.findIndex((s) => s.id === item.id);
  // The server makes room at a position, so "before the previous one" is its position, "after the next one" is one past it.
  const move = async (to: number) => {
    try {
      await api.patch(`/kb/${item.kind}/${item.id}`, { position: to });
      onError(null);
      await invalidate();
    } catch (err) {
      onError(errorMessage(err));
    }
  };
  return (
    <Group gap={2} wrap="nowrap">
      <Tooltip label="Move up">
        <ActionIcon variant="subtle" color="gray" aria-label={`Move ${label} up`} disabled={index <= 0} onClick={() => void move(siblings[index - 1]!.position)}>
          <IconArrowUp size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Move down">
        <ActionIcon variant="subtle" color="gray" aria-label={`Move ${label} down`} disabled={index >= siblings.length - 1} onClick={() => void move(siblings[index + 1]!.position + 1)}>
          <IconArrowDown size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Delete">
        <ActionIcon variant="subtle" color="red" aria-label={`Delete ${label}`} onClick={onDelete}>
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

function AddForm({ label, placeholder, onAdd }: { label: string; placeholder: string; onAdd: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    try {
      await onAdd(name.trim());
      setName('');
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <Group gap="xs" align="flex-start" wrap="nowrap">
        <TextInput aria-label={label} placeholder={placeholder} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} size="sm" style={{ flex: 1 }} />
        <Button type="submit" size="sm" variant="light" leftSection={<IconPlus size={14} />} loading={busy} disabled={!name.trim()}>
          {label}
        </Button>
      </Group>
    </form>
  );
}

export function CategoriesModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const categories = useKbCategories();
  const invalidate = useKbInvalidate();
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ kind: 'categories' | 'sections'; item: KbCategory | KbSection } | null>(null);
  const list = (categories.data ?? []).map((c) => ({ ...c, kind: 'categories' as const }));

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Categories and sections</Text>} size="lg">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Categories group sections; sections hold articles. The help center shows them in this order.
        </Text>
        {error && (
          <Text c="red" size="sm" role="alert">
            {error}
          </Text>
        )}
        {categories.isPending ? (
          <FormSkeleton fields={3} />
        ) : categories.isError ? (
          <ErrorState error={categories.error} onRetry={() => void categories.refetch()} />
        ) : (
          <>
            {list.length === 0 && (
              <Text size="sm" c="dimmed">
                No categories yet. Add one, such as “Orders and delivery”.
              </Text>
            )}
            {list.map((c) => {
              const sections = c.sections.map((s) => ({ ...s, kind: 'sections' as const }));
              return (
                <Paper key={c.id} withBorder p="sm">
                  <Stack gap="xs">
                    <Group gap="xs" wrap="nowrap">
                      <NameField key={nameIn(c.names)} item={c} label={`Category name`} onError={setError} />
                      <Controls item={c} siblings={list} label={`category ${nameIn(c.names)}`} onDelete={() => setDeleting({ kind: 'categories', item: c })} onError={setError} />
                    </Group>
                    <Stack gap={6} pl="lg">
                      {sections.map((s) => (
                        <Group key={s.id} gap="xs" wrap="nowrap">
                          <NameField key={nameIn(s.names)} item={s} label={`Section name in ${nameIn(c.names)}`} onError={setError} />
                          <Text size="xs" c="dimmed" w={70} ta="right">
                            {s.article_count} article{s.article_count === 1 ? '' : 's'}
                          </Text>
                          <Controls item={s} siblings={sections} label={`section ${nameIn(s.names)}`} onDelete={() => setDeleting({ kind: 'sections', item: s })} onError={setError} />
                        </Group>
                      ))}
                      <AddForm
                        label="Add section"
                        placeholder={`New section in ${nameIn(c.names)}`}
                        onAdd={async (name) => {
                          await api.post('/kb/sections', { category_id: c.id, names: { en: name } });
                          await invalidate();
                        }}
                      />
                    </Stack>
                  </Stack>
                </Paper>
              );
            })}
            <AddForm
              label="Add category"
              placeholder="New category"
              onAdd={async (name) => {
                await api.post('/kb/categories', { names: { en: name } });
                await invalidate();
              }}
            />
          </>
        )}
      </Stack>
      <ConfirmModal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title={deleting?.kind === 'categories' ? 'Delete this category?' : 'Delete this section?'}
        confirmLabel="Delete"
        onConfirm={async () => {
          if (!deleting) return;
          await api.del(`/kb/${deleting.kind}/${deleting.item.id}`);
          await invalidate();
        }}
      >
        <Text size="sm">
          {deleting?.kind === 'categories' ? 'Its sections are deleted too.' : ''} The articles in {deleting?.kind === 'categories' ? 'them' : 'it'} stay, in no section.
        </Text>
      </ConfirmModal>
    </Modal>
  );
}
