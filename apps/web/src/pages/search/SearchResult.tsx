import { Avatar, Badge, Box, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { SearchHit } from '../../api/search';
import { useFormat } from '../../lib/format';
import { contactName, statusColors, statusLabels } from '../inbox/inbox';
import { Highlighted } from './Highlighted';

const fieldLabels: Record<string, string> = { subject: 'Subject', contact: 'Customer', message: 'Message' };

/** One result: a conversation or a message opens its conversation; a contact shows who they are. */
export function SearchResult({ hit }: { hit: SearchHit }) {
  const fmt = useFormat();
  const c = hit.conversation;
  if (hit.contact) {
    const who = hit.contact;
    return (
      <Box p="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group gap="sm" wrap="nowrap">
          <Avatar radius="xl" color="initials" name={who.name || who.email || '?'} />
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Highlighted snippet={hit.snippet} size="sm" />
            <Text size="xs" c="dimmed">
              Customer since {fmt.dateTime(who.created_at)}
            </Text>
          </Stack>
        </Group>
      </Box>
    );
  }
  if (!c) return null;
  const at = hit.message?.created_at ?? c.last_message_at;
  return (
    <UnstyledButton component={Link} to={`/inbox/${c.id}`} display="block" p="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="sm" fw={600} truncate>
            {c.subject || 'No subject'}
          </Text>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={fmt.dateTime(at)}>
            {fmt.relative(at)}
          </Text>
        </Group>
        <Group gap={6} wrap="wrap">
          <Text size="xs" c="dimmed">
            {contactName(c)} · {c.inbox.name}
            {hit.message?.author_name ? ` · ${hit.message.author_name}` : ''}
          </Text>
          <Badge size="xs" variant="light" color={statusColors[c.status]}>
            {statusLabels[c.status]}
          </Badge>
          {hit.message?.private && (
            <Badge size="xs" variant="light" color="yellow">
              Private note
            </Badge>
          )}
          {hit.type === 'conversation' && (
            <Text size="xs" c="dimmed">
              Found in: {fieldLabels[hit.field] ?? hit.field}
            </Text>
          )}
        </Group>
        <Highlighted snippet={hit.snippet} size="sm" lineClamp={3} />
      </Stack>
    </UnstyledButton>
  );
}
