import { ActionIcon, Indicator, Popover, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { IconBell, IconBellRinging } from '@tabler/icons-react';
import { useState } from 'react';
import { desktopSupported, playChime, useAlertSettings } from '../../lib/alerts';

/** The bell in the inbox header: opt in to desktop notifications and a sound for customer messages. */
export function AlertsMenu() {
  const [settings, setSettings] = useAlertSettings();
  const [blocked, setBlocked] = useState(() => desktopSupported() && Notification.permission === 'denied');
  const on = settings.desktop || settings.sound;

  const toggleDesktop = async (enable: boolean) => {
    if (!enable) return setSettings((s) => ({ ...s, desktop: false }));
    if (!desktopSupported()) return setBlocked(true);
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    setBlocked(permission !== 'granted');
    if (permission === 'granted') setSettings((s) => ({ ...s, desktop: true }));
  };

  const toggleSound = (enable: boolean) => {
    setSettings((s) => ({ ...s, sound: enable }));
    // A click is what lets the browser play sound later; this also lets the agent hear it once.
    if (enable) playChime();
  };

  return (
    <Popover position="bottom-end" width={300} shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <Tooltip label="Notifications">
          <ActionIcon variant="subtle" color="gray" aria-label="Notifications" aria-haspopup="dialog">
            <Indicator disabled={!on} size={7} offset={2} color="teal">
              {on ? <IconBellRinging size={18} /> : <IconBell size={18} />}
            </Indicator>
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown aria-label="Notification settings">
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            Notify me of new conversations and customer replies
          </Text>
          <Switch
            label="Desktop notifications"
            description="When this tab is hidden or another conversation is open"
            checked={settings.desktop}
            onChange={(e) => void toggleDesktop(e.currentTarget.checked)}
            error={blocked ? 'Your browser blocks notifications from this site. Allow them in the site settings, then try again.' : undefined}
          />
          <Switch label="Sound" description="A short chime, even when this tab is hidden" checked={settings.sound} onChange={(e) => toggleSound(e.currentTarget.checked)} />
          <Text size="xs" c="dimmed">
            These settings apply to this browser only.
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
