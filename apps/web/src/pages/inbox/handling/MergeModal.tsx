import { Alert, Badge, Button, Group, Loader, Modal, Radio, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { errorMessage, isApiError } from '../../../api/client';
import { useMergeConversations } from '../../../api/handling';
import { useContactConversations, useConversations } from '../../../api/queries';
import type { Conversation } from '../../../api/types';
import { ErrorState } from '../../../components/QueryStates';
import { useFormat } from '../../../lib/format';
import { contactName, statusLabels } from '../inbox';

/**
 * Picks a conversation to merge into this one: this customer's others first, then the open ones,
 * filtered by what the agent types. Another customer's conversation needs a second confirmation.
 */
export function MergeModal({ conversation, onClose }: { conversation: Conversation; onClose: () => void }) {
  const fmt = useFormat();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<string | null>(null);
  const contact = useContactConversations(conversation.contact?.id);
  const open = useConversations('status=open&limit=100');
  const merge = useMergeConversations(conversation.id);
  const differs = isApiError(merge.error, 'conversation_contacts_differ');

  const candidates = useMemo(() => {
    const seen = new Set([conversation.id]);
    const out: Array<Conversation & { same: boolean }> = [];
    for (const [list, same] of [
      [contact.data ?? [], true],
      [open.items ?? [], false],
    ] as const) {
      for (const c of list) {
        if (seen.has(c.id) || c.merged_into_id) continue;
        seen.add(c.id);
        out.push({ ...c, same: same || c.contact?.id === conversation.contact?.id });
      }
    }
    const q = search.trim().toLowerCase();
    return q ? out.filter((c) => `${c.subject ?? ''} ${contactName(c)} ${c.contact?.email ?? ''} ${c.inbox.name}`.toLowerCase().includes(q)) : out;
  }, [contact.data, open.items, conversation, search]);
  const chosen = candidates.find((c) => c.id === picked);

  const submit = (confirm: boolean) => {
    if (!picked) return;
    merge.mutate(
      { source_ids: [picked], ...(confirm ? { confirm_different_contacts: true } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: 'Conversations merged: the messages are in this thread now' });
          onClose();
        },
      },
    );
  };

  const loading = contact.isPending || open.isPending;
  return (
    <Modal opened onClose={onClose} title="Merge a conversation into this one" size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Its messages move to the end of this conversation, in their order; it is closed and points here. Tags and followers come along.
        </Text>
        <TextInput leftSection={<IconSearch size={14} />} placeholder="Search by subject, customer or inbox" aria-label="Search conversations" value={search} onChange={(e) => setSearch(e.currentTarget.value)} data-autofocus />
        {loading ? (
          <Group justify="center" p="md">
            <Loader size="sm" aria-label="Loading conversations" />
          </Group>
        ) : contact.isError || open.isError ? (
          <ErrorState error={contact.error ?? open.error} title="Could not load conversations" onRetry={() => void (contact.isError ? contact.refetch() : open.refetch())} />
        ) : candidates.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="md">
            {search ? 'No conversation matches.' : 'No other conversation of this customer, and no other open one.'}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={320} type="auto">
            <Radio.Group value={picked} onChange={(v) => { setPicked(v); merge.reset(); }} aria-label="Conversation to merge">
              <Stack gap={6}>
                {candidates.map((c) => (
                  <Radio
                    key={c.id}
                    value={c.id}
                    label={
                      <Group gap={6} wrap="nowrap">
                        <Text size="sm" fw={500} truncate>
                          {c.subject || 'No subject'}
                        </Text>
                        {c.same && (
                          <Badge size="xs" variant="light">
                            Same customer
                          </Badge>
                        )}
                      </Group>
                    }
                    description={`${contactName(c)} · ${c.inbox.name} · ${statusLabels[c.status]} · ${fmt.smart(c.last_message_at)}`}
                  />
                ))}
              </Stack>
            </Radio.Group>
          </ScrollArea.Autosize>
        )}
        {differs ? (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Another customer" role="alert">
            {errorMessage(merge.error)}
          </Alert>
        ) : (
          merge.isError && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(merge.error)}
            </Alert>
          )
        )}
        {chosen && !chosen.same && !differs && (
          <Text size="xs" c="dimmed">
            That conversation is with {contactName(chosen)}, not {conversation.contact ? contactName(conversation) : 'this customer'}: you will be asked to confirm.
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          {differs ? (
            <Button color="yellow" loading={merge.isPending} onClick={() => submit(true)}>
              Merge anyway
            </Button>
          ) : (
            <Button disabled={!picked} loading={merge.isPending} onClick={() => submit(false)}>
              Merge into this conversation
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
