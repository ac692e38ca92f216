// "Possible duplicates" in the customer sidebar: other contacts that are probably the same person
// (the same email, phone or full name reached us on another channel), each mergeable into this one.
import { Anchor, Box, Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowMerge } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client';
import { keys, useContactConversations } from '../../api/queries';
import type { Contact, ContactDetail } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { SidebarSection } from './SidebarSection';

/** GET /contacts/:id/duplicates: a contact that is probably this one, and why. */
export interface DuplicateContact {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** In the server's words, e.g. "the same phone number". */
  reasons: string[];
}

/** Under "contacts": whatever refreshes contacts refreshes the suggestions too. */
const duplicatesKey = (contactId: string) => ['contacts', contactId, 'duplicates'] as const;

function useDuplicates(contactId: string) {
  return useQuery({
    queryKey: duplicatesKey(contactId),
    queryFn: async () => (await api.get<{ data: DuplicateContact[] }>(`/contacts/${contactId}/duplicates`)).data,
    retry: false,
  });
}

/** Merges `duplicate` into the kept contact; the sidebar, its conversations and the lists refresh. */
function useMergeContact(keptId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (duplicate: DuplicateContact) => api.post<Contact>(`/contacts/${keptId}/merge`, { contact_id: duplicate.id }),
    onSuccess: (_kept, duplicate) => {
      // The merged contact is gone: its own queries are left to expire, not fetched again into a 404.
      const live = { predicate: (q: { queryKey: readonly unknown[] }) => !q.queryKey.includes(duplicate.id) };
      void queryClient.invalidateQueries({ queryKey: keys.contacts, ...live });
      void queryClient.invalidateQueries({ queryKey: keys.conversations, ...live });
    },
  });
}

const displayName = (name: string | null) => name?.trim() || 'Unknown visitor';

/** ["the same phone number", "the same name"] → "Same phone number · same name". */
export function describeReasons(reasons: string[]): string {
  const text = reasons.map((r) => r.replace(/^the /i, '')).join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The sidebar section; renders nothing while it loads or when there is no likely duplicate. */
export function DuplicateContacts({ contact }: { contact: ContactDetail }) {
  const duplicates = useDuplicates(contact.id);
  const [merging, setMerging] = useState<DuplicateContact | null>(null);

  if (duplicates.isPending) return null;
  if (duplicates.isError) {
    return (
      <SidebarSection title="Possible duplicates">
        <Group gap={6} wrap="wrap">
          <Text size="sm" c="dimmed">
            Could not check for duplicates.
          </Text>
          <Anchor component="button" type="button" size="sm" onClick={() => void duplicates.refetch()}>
            Retry
          </Anchor>
        </Group>
      </SidebarSection>
    );
  }
  if (duplicates.data.length === 0) return null;

  return (
    <SidebarSection title="Possible duplicates">
      <Stack gap="sm" component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
        {duplicates.data.map((d) => (
          <Candidate key={d.id} duplicate={d} onMerge={() => setMerging(d)} />
        ))}
      </Stack>
      {merging && <MergeModal kept={contact} duplicate={merging} onClose={() => setMerging(null)} />}
    </SidebarSection>
  );
}

function Candidate({ duplicate, onMerge }: { duplicate: DuplicateContact; onMerge: () => void }) {
  const id = useId();
  const details = [duplicate.email, duplicate.phone].filter(Boolean).join(' · ');
  return (
    <Box component="li" aria-labelledby={`${id}-name`}>
      <Box id={`${id}-about`}>
        <Text id={`${id}-name`} size="sm" fw={500} truncate title={displayName(duplicate.name)}>
          {displayName(duplicate.name)}
        </Text>
        {details && (
          <Text size="xs" c="dimmed" truncate title={details}>
            {details}
          </Text>
        )}
        {duplicate.reasons.length > 0 && (
          <Text size="xs" c="dimmed">
            {describeReasons(duplicate.reasons)}
          </Text>
        )}
      </Box>
      <Button size="compact-xs" variant="light" mt={6} leftSection={<IconArrowMerge size={14} />} onClick={onMerge} aria-describedby={`${id}-about`} aria-haspopup="dialog">
        Merge into this customer
      </Button>
    </Box>
  );
}

interface MergeModalProps {
  kept: ContactDetail;
  duplicate: DuplicateContact;
  onClose: () => void;
}

function MergeModal({ kept, duplicate, onClose }: MergeModalProps) {
  const merge = useMergeContact(kept.id);
  // How many conversations move (of the inboxes I may see), to say so before it happens.
  const theirs = useContactConversations(duplicate.id);
  const count = theirs.data?.length;
  const what = count === undefined || count === 0 ? 'Their messages' : count === 1 ? 'Their conversation, messages' : `Their ${count} conversations, messages`;
  const keptName = displayName(kept.name);
  // Duplicates often share the name: the address tells the agent which record goes.
  const other = [displayName(duplicate.name), duplicate.email ?? duplicate.phone].filter(Boolean).join(', ');
  const confirm = async () => {
    await merge.mutateAsync(duplicate);
    notifications.show({ color: 'teal', title: 'Contacts merged', message: `Everything from the other record (${other}) is now under ${keptName}.` });
  };
  return (
    <ConfirmModal opened onClose={onClose} title={`Merge into ${keptName}?`} confirmLabel="Merge" onConfirm={confirm}>
      {what}, files and identities move to {keptName}; the other record ({other}) is deleted. This cannot be undone.
    </ConfirmModal>
  );
}
