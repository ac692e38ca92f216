import { Alert, Button, Checkbox, Code, Group, Modal, Skeleton, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage, isApiError } from '../../../api/client';
import { useWebhookEvents, webhookKeys, type Webhook } from '../../../api/webhooks';
import { applyServerErrors } from '../../../lib/forms';

interface Props {
  opened: boolean;
  /** null creates a new webhook. */
  webhook: Webhook | null;
  onClose: () => void;
  onSaved?: (webhook: Webhook, created: boolean) => void;
}

/** What the browser can tell about a URL; whether its host is public only the server can say. */
function checkUrl(value: string): string | null {
  const raw = value.trim();
  if (!raw) return 'Enter the URL that receives the events';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'A URL such as https://example.com/rapport-events';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'An https:// URL, such as https://example.com/rapport-events';
  return null;
}

/** Create a webhook (webhook = null) or edit one: its URL, events and description. The parent remounts it on each open. */
export function WebhookFormModal({ opened, webhook, onClose, onSaved }: Props) {
  const queryClient = useQueryClient();
  const events = useWebhookEvents();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { url: webhook?.url ?? '', events: webhook?.events ?? [], description: webhook?.description ?? '' },
    validate: {
      url: checkUrl,
      events: (v) => (v.length ? null : 'Pick at least one event'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const body = { url: values.url.trim(), events: values.events, description: values.description.trim() };
    try {
      const saved = webhook ? await api.patch<Webhook>(`/webhooks/${webhook.id}`, body) : await api.post<Webhook>('/webhooks', body);
      queryClient.setQueryData(webhookKeys.detail(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: webhookKeys.list });
      onClose();
      notifications.show({ color: 'teal', message: webhook ? 'Webhook saved' : 'Webhook created' });
      onSaved?.(saved, !webhook);
    } catch (err) {
      // The server's whole sentence ("The URL points at … (a loopback address) …") reads best at the field.
      if (isApiError(err, 'invalid_webhook_url')) form.setFieldError('url', err.message);
      else setFormError(applyServerErrors(form, err));
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={webhook ? 'Edit webhook' : 'New webhook'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            label="URL"
            description="Rapport POSTs each event here as JSON, signed with this webhook’s secret. It must be a public https:// address."
            placeholder="https://example.com/rapport-events"
            required
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            maxLength={2000}
            data-autofocus
            {...form.getInputProps('url')}
          />
          {events.isPending ? (
            <Stack gap="xs" aria-busy="true" aria-label="Loading events">
              {Array.from({ length: 4 }, (_, i) => (
                <Skeleton key={i} height={32} />
              ))}
            </Stack>
          ) : events.isError ? (
            <Alert color="red" variant="light" role="alert" title="Could not load the events">
              {errorMessage(events.error)}
            </Alert>
          ) : (
            <Checkbox.Group label="Events" description="What this URL receives." required withAsterisk={false} {...form.getInputProps('events')}>
              <Stack gap="sm" mt="xs">
                {events.data.map((e) => (
                  <Checkbox key={e.event} value={e.event} label={<Code>{e.event}</Code>} description={e.description} />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <TextInput
            label="Description"
            description="Optional: what receives these events, so teammates know (such as “CRM sync”)."
            placeholder="CRM sync"
            maxLength={200}
            {...form.getInputProps('description')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} disabled={!events.isSuccess}>
              {webhook ? 'Save webhook' : 'Create webhook'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
