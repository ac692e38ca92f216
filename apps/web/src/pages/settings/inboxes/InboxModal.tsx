import { Alert, Modal, Pill, Stack, TagsInput, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../api/client';
import { keys } from '../../../api/queries';
import type { Inbox } from '../../../api/types';
import { applyServerErrors, invalidItems } from '../../../lib/forms';
import { useSession } from '../../../lib/session';
import { InboxMembersSelect, InboxFormActions } from './InboxFormParts';

interface Props {
  opened: boolean;
  /** null creates a new live chat inbox. */
  inbox: Inbox | null;
  onClose: () => void;
  onSaved?: (inbox: Inbox, created: boolean) => void;
}

/** "https://Shop.example/" → "https://Shop.example": an origin has no path, so a pasted trailing slash goes. */
function tidyOrigin(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

/** Create a live chat inbox (inbox = null) or edit one. The parent remounts it (new key) on each open. */
export function InboxModal({ opened, inbox, onClose, onSaved }: Props) {
  const { user: me } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [badOrigins, setBadOrigins] = useState<Set<string>>(new Set());
  const form = useForm({
    initialValues: {
      name: inbox?.name ?? '',
      allowed_origins: inbox?.allowed_origins ?? [],
      greeting: inbox?.greeting ?? '',
      // The creator works in a new inbox unless they take themselves out.
      member_ids: inbox?.member_ids ?? [me.id],
    },
    validate: { name: (v) => (v.trim() ? null : 'Give the inbox a name') },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setBadOrigins(new Set());
    const body = {
      name: values.name.trim(),
      allowed_origins: values.allowed_origins,
      greeting: values.greeting.trim(),
      member_ids: values.member_ids,
    };
    try {
      const saved = inbox
        ? await api.patch<Inbox>(`/inboxes/${inbox.id}`, body)
        : await api.post<Inbox>('/inboxes', { channel: 'webchat', ...body });
      queryClient.setQueryData(keys.inbox(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.inboxes });
      onClose();
      notifications.show({ color: 'teal', message: inbox ? 'Inbox saved' : `Inbox “${saved.name}” created` });
      onSaved?.(saved, !inbox);
    } catch (err) {
      const bad = invalidItems(err, 'allowed_origins', values.allowed_origins);
      setBadOrigins(bad);
      setFormError(applyServerErrors(form, err));
      if (bad.size) {
        const list = [...bad].map((o) => `“${o}”`).join(', ');
        form.setFieldError('allowed_origins', `${list} ${bad.size > 1 ? 'are not origins' : 'is not an origin'} like https://shop.example (scheme and host, no path)`);
      }
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={inbox ? 'Edit inbox' : 'New live chat inbox'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="Name"
            description="Teammates see it in the inbox; customers do not."
            placeholder="Website chat"
            required
            maxLength={80}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <TagsInput
            label="Allowed origins"
            description="Websites that may show this chat, each like https://shop.example. Press Enter after each one."
            placeholder={form.values.allowed_origins.length ? undefined : 'https://shop.example'}
            splitChars={[',', ' ']}
            clearable
            maxTags={50}
            {...form.getInputProps('allowed_origins')}
            onChange={(next) => {
              setBadOrigins(new Set());
              form.setFieldValue('allowed_origins', [...new Set(next.map(tidyOrigin).filter(Boolean))]);
              form.clearFieldError('allowed_origins');
            }}
            renderPill={({ value = '', onRemove, disabled }) => (
              <Pill
                withRemoveButton={!disabled}
                onRemove={onRemove}
                removeButtonProps={{ 'aria-label': `Remove ${value}`, 'aria-hidden': false }}
                data-invalid={badOrigins.has(value) || undefined}
                styles={
                  badOrigins.has(value)
                    ? { root: { background: 'var(--mantine-color-red-light)', color: 'var(--mantine-color-red-light-color)' } }
                    : undefined
                }
              >
                {value}
              </Pill>
            )}
          />
          <Textarea
            label="Greeting"
            description="The first thing visitors read when they open the chat."
            placeholder="Hi! Ask us anything, we usually answer within a few minutes."
            autosize
            minRows={2}
            maxRows={5}
            maxLength={500}
            {...form.getInputProps('greeting')}
          />
          <InboxMembersSelect inputProps={form.getInputProps('member_ids')} />
          <InboxFormActions editing={!!inbox} submitting={form.submitting} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
