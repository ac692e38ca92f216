import { Alert, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../../api/client';
import { keys } from '../../../../api/queries';
import type { Inbox } from '../../../../api/types';
import { applyServerErrors } from '../../../../lib/forms';
import { useSession } from '../../../../lib/session';
import { InboxMembersSelect, InboxFormActions } from '../InboxFormParts';

interface Props {
  opened: boolean;
  /** null creates a new API inbox. */
  inbox: Inbox | null;
  onClose: () => void;
  onSaved?: (inbox: Inbox, created: boolean) => void;
}

/** What the browser can tell about a webhook URL; whether its host is public only the server can say. */
export function checkWebhookUrl(value: string): string | null {
  const raw = value.trim();
  if (!raw) return 'Enter the URL that receives your agents’ replies';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'A URL such as https://example.com/rapport-webhook';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'An https:// URL, such as https://example.com/rapport-webhook';
  return null;
}

/** Create an API inbox (inbox = null) or edit one: its name, webhook URL and members. The parent remounts it on each open. */
export function ApiInboxModal({ opened, inbox, onClose, onSaved }: Props) {
  const { user: me } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const disabled = Boolean(inbox?.webhook_disabled_at);
  const form = useForm({
    initialValues: {
      name: inbox?.name ?? '',
      webhook_url: inbox?.webhook_url ?? '',
      // The creator works in a new inbox unless they take themselves out.
      member_ids: inbox?.member_ids ?? [me.id],
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Give the inbox a name'),
      webhook_url: checkWebhookUrl,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const url = values.webhook_url.trim();
    const common = { name: values.name.trim(), member_ids: values.member_ids };
    try {
      // Saving the URL clears the webhook's failures: only when it changed, or to switch a disabled webhook back on.
      const saved = inbox
        ? await api.patch<Inbox>(`/inboxes/${inbox.id}`, { ...common, ...(url !== inbox.webhook_url || disabled ? { webhook_url: url } : {}) })
        : await api.post<Inbox>('/inboxes', { channel: 'api', ...common, webhook_url: url });
      queryClient.setQueryData(keys.inbox(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.inboxes, exact: true });
      onClose();
      notifications.show({ color: 'teal', message: inbox ? 'Inbox saved' : `Inbox “${saved.name}” created` });
      onSaved?.(saved, !inbox);
    } catch (err) {
      setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={inbox ? 'Edit API inbox' : 'New API inbox'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          {disabled && (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
              The webhook is switched off. Saving switches it back on, so fix the receiver first.
            </Alert>
          )}
          <TextInput
            label="Name"
            description="Teammates see it in the inbox; customers do not."
            placeholder="Shop app"
            required
            maxLength={80}
            data-autofocus
            {...form.getInputProps('name')}
          />
          <TextInput
            label="Webhook URL"
            description="Rapport POSTs every agent reply here, signed with this inbox’s secret. It must be a public https:// address."
            placeholder="https://example.com/rapport-webhook"
            required
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={2000}
            {...form.getInputProps('webhook_url')}
          />
          <InboxMembersSelect inputProps={form.getInputProps('member_ids')} />
          <InboxFormActions editing={!!inbox} submitting={form.submitting} onClose={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
