import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { useEffect, useEffectEvent } from 'react';

export const shortcutList: { keys: string[]; action: string }[] = [
  { keys: ['j'], action: 'Next conversation' },
  { keys: ['k'], action: 'Previous conversation' },
  { keys: ['r'], action: 'Write a reply' },
  { keys: ['n'], action: 'Write a private note' },
  { keys: ['e'], action: 'Resolve the conversation' },
  { keys: ['m'], action: 'Apply a macro' },
  { keys: ['?'], action: 'Show these shortcuts' },
  { keys: ['Enter'], action: 'Send (in the reply box)' },
  { keys: ['Shift', 'Enter'], action: 'New line (in the reply box)' },
  { keys: ['Esc'], action: 'Leave the reply box' },
  { keys: ['@'], action: 'Mention a teammate (in a private note); ↑ ↓ and Enter pick one' },
  { keys: ['/'], action: 'Insert a canned response (in the reply box); ↑ ↓ and Enter pick one' },
];

type Handlers = Partial<Record<'j' | 'k' | 'r' | 'n' | 'e' | 'm' | '?', () => void>>;

/** Whether a key press belongs to something else: typing in a field, a menu, a dialog or a list box. */
function busyElsewhere(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return true;
  const target = event.target instanceof HTMLElement ? event.target : null;
  if (!target) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return true;
  return Boolean(target.closest('[role="dialog"], [role="menu"], [role="listbox"]'));
}

/** Single-key shortcuts of the inbox; never while typing in a field. */
export function useInboxShortcuts(handlers: Handlers): void {
  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (busyElsewhere(event)) return;
    const key = event.key === '?' || (event.key === '/' && event.shiftKey) ? '?' : event.key.toLowerCase();
    if (event.shiftKey && key !== '?') return;
    const handler = handlers[key as keyof Handlers];
    if (!handler) return;
    event.preventDefault();
    handler();
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);
}

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" size="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The single-key shortcuts work anywhere in the inbox except while you type in a field.
        </Text>
        <Table verticalSpacing={6} horizontalSpacing="sm">
          <Table.Tbody>
            {shortcutList.map(({ keys, action }) => (
              <Table.Tr key={action}>
                <Table.Td w={120}>
                  <Group gap={4} wrap="nowrap">
                    {keys.map((k, i) => (
                      <Group key={k} gap={4} wrap="nowrap">
                        {i > 0 && (
                          <Text size="xs" c="dimmed">
                            +
                          </Text>
                        )}
                        <Kbd size="sm">{k}</Kbd>
                      </Group>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{action}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Modal>
  );
}
