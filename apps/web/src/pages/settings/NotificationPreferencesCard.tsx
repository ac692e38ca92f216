import { Alert, Checkbox, Skeleton, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailOff } from '@tabler/icons-react';
import { errorMessage } from '../../api/client';
import { type NotificationPreference, useNotificationPreferences, useSaveNotificationPreferences } from '../../api/handling';
import { ErrorState } from '../../components/QueryStates';
import { SettingsCard } from './SettingsCard';

/** Per kind of notification: in the app (the bell) and by email. */
export function NotificationPreferencesCard() {
  const prefs = useNotificationPreferences();
  const save = useSaveNotificationPreferences();
  const change = (p: NotificationPreference, changes: Partial<Pick<NotificationPreference, 'in_app' | 'email'>>) =>
    save.mutate([{ kind: p.kind, in_app: p.in_app, email: p.email, ...changes }], {
      onSuccess: () => notifications.show({ color: 'teal', message: 'Notification settings saved' }),
      onError: (err) => notifications.show({ color: 'red', title: 'Could not save', message: errorMessage(err) }),
    });
  const emailOff = prefs.data && !prefs.data.email_available;

  return (
    <div id="notifications">
      <SettingsCard title="Notifications" description="What you hear of in the app (the bell at the top) and by email. These follow you to every device.">
        {prefs.isPending ? (
          <Skeleton height={160} aria-label="Loading notification settings" />
        ) : prefs.isError ? (
          <ErrorState error={prefs.error} onRetry={() => void prefs.refetch()} title="Could not load your notification settings" />
        ) : (
          <>
            {emailOff && (
              <Alert color="gray" variant="light" icon={<IconMailOff size={18} />} title="Email notifications are off on this server">
                An administrator turns them on by setting NOTIFICATIONS_SMTP_URL and NOTIFICATIONS_FROM. Your choices below apply once they do.
              </Alert>
            )}
            <Table verticalSpacing="xs" aria-label="Notification settings">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th w={80} ta="center">
                    In the app
                  </Table.Th>
                  <Table.Th w={80} ta="center">
                    By email
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {prefs.data.preferences.map((p) => (
                  <Table.Tr key={p.kind}>
                    <Table.Td>
                      <Text size="sm">{p.label}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Checkbox mx="auto" w="fit-content" aria-label={`${p.label}: in the app`} checked={p.in_app} onChange={(e) => change(p, { in_app: e.currentTarget.checked })} />
                    </Table.Td>
                    <Table.Td>
                      <Checkbox mx="auto" w="fit-content" aria-label={`${p.label}: by email`} checked={p.email} disabled={emailOff} onChange={(e) => change(p, { email: e.currentTarget.checked })} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed">
              Emails are gathered: you get at most one every couple of minutes, however busy a conversation is.
            </Text>
          </>
        )}
      </SettingsCard>
    </div>
  );
}
