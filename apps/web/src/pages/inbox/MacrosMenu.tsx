import { Button, Menu, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBolt, IconSettings } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api/client';
import { useMacros, type Macro } from '../../api/automation';
import { keys } from '../../api/queries';
import { useInboxShortcuts } from './shortcuts';

/** The conversation's Macros menu (and the m key): applies one macro's actions at once. */
export function MacrosMenu({ conversationId }: { conversationId: string }) {
  const [opened, setOpened] = useState(false);
  const [applying, setApplying] = useState<string | null>(null);
  const macros = useMacros();
  const queryClient = useQueryClient();
  useInboxShortcuts({ m: () => setOpened(true) });

  const apply = async (macro: Macro) => {
    setApplying(macro.id);
    try {
      const result = await api.post<{ actions: Array<{ outcome: string }> }>(`/conversations/${conversationId}/macros/${macro.id}`);
      await Promise.all([queryClient.invalidateQueries({ queryKey: keys.conversation(conversationId) }), queryClient.invalidateQueries({ queryKey: keys.messages(conversationId) })]);
      const done = result.actions.filter((a) => a.outcome === 'done').length;
      notifications.show({ color: 'teal', message: done ? `Applied “${macro.name}”` : `“${macro.name}” had nothing left to change` });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not apply “${macro.name}”`, message: errorMessage(err) });
    } finally {
      setApplying(null);
    }
  };

  return (
    <Menu opened={opened} onChange={setOpened} position="bottom-end" shadow="md" width={260}>
      <Menu.Target>
        <Button size="xs" variant="default" leftSection={<IconBolt size={14} />} loading={applying !== null} aria-keyshortcuts="m">
          Macros
        </Button>
      </Menu.Target>
      <Menu.Dropdown aria-label="Macros">
        {macros.isPending ? (
          <Menu.Label>Loading macros…</Menu.Label>
        ) : macros.isError ? (
          <Text size="xs" c="red" p="xs">
            Could not load macros: {errorMessage(macros.error)}
          </Text>
        ) : macros.data.length === 0 ? (
          <Text size="xs" c="dimmed" p="xs">
            No macros yet. A macro tags, assigns, replies and more in one click.
          </Text>
        ) : (
          macros.data.map((m) => (
            <Menu.Item key={m.id} onClick={() => void apply(m)} disabled={applying !== null}>
              {m.name}
            </Menu.Item>
          ))
        )}
        <Menu.Divider />
        <Menu.Item component={Link} to="/settings/macros" leftSection={<IconSettings size={14} />}>
          Manage macros
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
