import { Stack, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { desktopSupported, playChime, useAlertSettings } from '../../lib/alerts';

/** This browser's extras: desktop notifications and a chime (the server knows nothing of them). */
export function AlertSettings() {
  const [settings, setSettings] = useAlertSettings();
  const [blocked, setBlocked] = useState(() => desktopSupported() && Notification.permission === 'denied');

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
    <Stack gap="xs">
      <Switch
        size="xs"
        label="Desktop notifications"
        description="For customer messages and notifications, when this tab is hidden or another conversation is open"
        checked={settings.desktop}
        onChange={(e) => void toggleDesktop(e.currentTarget.checked)}
        error={blocked ? 'Your browser blocks notifications from this site. Allow them in the site settings, then try again.' : undefined}
      />
      <Switch size="xs" label="Sound" description="A short chime, even when this tab is hidden" checked={settings.sound} onChange={(e) => toggleSound(e.currentTarget.checked)} />
      <Text size="xs" c="dimmed">
        These two apply to this browser only.
      </Text>
    </Stack>
  );
}
