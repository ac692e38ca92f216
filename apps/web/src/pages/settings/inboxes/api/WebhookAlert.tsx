import { Alert, Button, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlugConnected } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../../../api/client';
import { keys } from '../../../../api/queries';
import type { Inbox } from '../../../../api/types';
import { useFormat } from '../../../../lib/format';

/**
 * Says, on an API inbox's page, that its webhook was switched off (410 Gone, or reply after reply
 * undelivered) or is failing, why, and since when; admins can switch it back on.
 */
export function WebhookAlert({ inbox, editable }: { inbox: Inbox; editable: boolean }) {
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const connection = inbox.connection;
  const disabledAt = inbox.webhook_disabled_at ?? null;
  if (!disabledAt && connection?.status !== 'failing') return null;
  const at = disabledAt ?? connection?.checked_at ?? null;

  // Saving the URL again is what switches the webhook back on (the server checks it once more).
  const switchOn = async () => {
    if (!inbox.webhook_url) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.patch<Inbox>(`/inboxes/${inbox.id}`, { webhook_url: inbox.webhook_url });
      queryClient.setQueryData(keys.inbox(saved.id), saved);
      await queryClient.invalidateQueries({ queryKey: keys.inboxes, exact: true });
      notifications.show({ color: 'teal', message: 'Webhook switched back on. The next reply goes to it.' });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      icon={<IconAlertTriangle size={18} />}
      title={disabledAt ? 'The webhook is switched off: replies are not sent' : 'Replies are not reaching your webhook'}
    >
      <Stack gap="xs" align="flex-start">
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {connection?.error ?? (disabledAt ? 'The receiver stopped taking replies.' : 'The webhook receiver did not take the last reply.')}
        </Text>
        <Text size="xs" c="dimmed">
          {at && (
            <>
              {disabledAt ? 'Switched off' : 'Last checked'}{' '}
              <time dateTime={at} title={fmt.dateTime(at)}>
                {fmt.relative(at)}
              </time>
              .{' '}
            </>
          )}
          {disabledAt
            ? 'Replies written meanwhile are kept and marked “Not sent”: retry them once the webhook is on again.'
            : 'Replies that could not be delivered show “Not sent” in their conversation, with Retry.'}
          {!editable && ' Ask an admin to fix the webhook.'}
        </Text>
        {editable && disabledAt && (
          <Button size="xs" variant="white" color="red" leftSection={<IconPlugConnected size={14} />} loading={busy} onClick={() => void switchOn()}>
            Switch the webhook back on
          </Button>
        )}
        {error && (
          <Text size="sm" c="red" fw={500} style={{ overflowWrap: 'anywhere' }}>
            {error}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
