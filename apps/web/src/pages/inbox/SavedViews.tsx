import { ActionIcon, Button, Checkbox, Group, Menu, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconBookmark, IconBookmarkPlus, IconDownload, IconTrash, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { exportUrl, useDeleteView, useSaveView, useSavedViews, type SavedView } from '../../api/search';
import { defaultFilters, filterParams, readFilters, type Filters } from './filters';

interface Props {
  filters: Filters;
  onApply: (filters: Filters) => void;
}

/** The same filters, compared as the address writes them. */
const same = (a: Filters, b: Filters) => filterParams(a).toString() === filterParams(b).toString();
const toFilters = (view: SavedView): Filters => readFilters(new URLSearchParams(view.filters as Record<string, string>));

/** Saved views of the list (mine and the team's): apply one, save the current filters, delete. */
export function SavedViews({ filters, onApply }: Props) {
  const views = useSavedViews();
  const remove = useDeleteView();
  const [saving, saveModal] = useDisclosure(false);
  const active = views.data?.find((v) => same(toFilters(v), filters));

  return (
    <>
      <Menu position="bottom-end" width={260} shadow="md">
        <Menu.Target>
          <Tooltip label={active ? `View: ${active.name}` : 'Saved views'}>
            <ActionIcon variant={active ? 'light' : 'subtle'} color={active ? undefined : 'gray'} aria-label={active ? `Saved views (${active.name} on)` : 'Saved views'}>
              <IconBookmark size={18} />
            </ActionIcon>
          </Tooltip>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Saved views</Menu.Label>
          {views.isPending && <Menu.Item disabled>Loading…</Menu.Item>}
          {views.isError && <Menu.Item disabled>{errorMessage(views.error)}</Menu.Item>}
          {views.data?.length === 0 && (
            <Text size="xs" c="dimmed" px="sm" py={4}>
              No saved views yet. Set the filters, then save them here.
            </Text>
          )}
          {views.data?.map((v) => (
            <Menu.Item
              key={v.id}
              onClick={() => onApply({ ...defaultFilters, ...toFilters(v) })}
              leftSection={v.shared ? <IconUsers size={14} aria-label="Shared with the team" /> : <IconBookmark size={14} />}
              rightSection={
                v.can_edit ? (
                  <ActionIcon
                    component="span"
                    size="sm"
                    variant="subtle"
                    color="gray"
                    aria-label={`Delete the view ${v.name}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      remove.mutate(v.id, { onSuccess: () => notifications.show({ message: `View “${v.name}” deleted` }), onError: (err) => notifications.show({ color: 'red', message: errorMessage(err) }) });
                    }}
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                ) : undefined
              }
              aria-current={active?.id === v.id || undefined}
              fw={active?.id === v.id ? 600 : undefined}
            >
              {v.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item leftSection={<IconBookmarkPlus size={14} />} onClick={saveModal.open}>
            Save view
          </Menu.Item>
          <Menu.Item leftSection={<IconDownload size={14} />} component="a" href={exportUrl(filterParams(filters).toString())} download>
            Export CSV
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <SaveViewModal opened={saving} onClose={saveModal.close} filters={filters} />
    </>
  );
}

function SaveViewModal({ opened, onClose, filters }: { opened: boolean; onClose: () => void; filters: Filters }) {
  const save = useSaveView();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    if (!name.trim()) return setError('Give the view a name');
    const values = Object.fromEntries(filterParams(filters));
    save.mutate(
      { name: name.trim(), filters: values, shared },
      {
        onSuccess: (view) => {
          notifications.show({ color: 'teal', message: `View “${view.name}” saved` });
          setName('');
          setShared(false);
          onClose();
        },
        onError: (err) => setError(errorMessage(err)),
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Save view">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Saves the list’s current filters and order under a name, in the saved views menu.
          </Text>
          <TextInput
            label="Name"
            placeholder="e.g. Open billing questions"
            maxLength={80}
            data-autofocus
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setError(null);
            }}
            error={error}
          />
          <Checkbox label="Share with the whole team" description="Everyone sees it; only you and admins can change it." checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
