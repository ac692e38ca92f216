// Telling the agent something happened while they look elsewhere: opt-in desktop notifications
// and a short tone for customer messages, and an in-app notice for each notification of theirs
// (assigned, mentioned, an alert) as it arrives.
// The choices live in this browser's localStorage, not on the server: they are about this device.
import { Anchor, Text } from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import type { NavigateFunction } from 'react-router-dom';
import type { Message } from '../api/types';

export interface AlertSettings {
  desktop: boolean;
  sound: boolean;
}

const storageKey = 'rapport.alerts';
const defaults: AlertSettings = { desktop: false, sound: false };

export function useAlertSettings() {
  return useLocalStorage<AlertSettings>({ key: storageKey, defaultValue: defaults, getInitialValueInEffect: false });
}

function readSettings(): AlertSettings {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Partial<AlertSettings> | null;
    return { ...defaults, ...stored };
  } catch {
    return defaults;
  }
}

export const desktopSupported = () => typeof window !== 'undefined' && 'Notification' in window;

let audio: AudioContext | null = null;

/** Plays a short two-note chime; no sound file to download. Call it once from a click to allow sound later. */
export function playChime(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') void audio.resume();
    const start = audio.currentTime + 0.01;
    [880, 1320].forEach((frequency, i) => {
      const at = start + i * 0.13;
      const tone = audio!.createOscillator();
      const gain = audio!.createGain();
      tone.type = 'sine';
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.12, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.12);
      tone.connect(gain).connect(audio!.destination);
      tone.start(at);
      tone.stop(at + 0.13);
    });
  } catch {
    // No audio device or WebAudio: stay quiet.
  }
}

function openConversation(navigate: NavigateFunction, conversationId: string) {
  window.focus();
  void navigate(`/inbox/${conversationId}`);
}

function desktopNotice(title: string, body: string, conversationId: string, navigate: NavigateFunction) {
  if (!desktopSupported() || Notification.permission !== 'granted') return;
  try {
    // One notice per conversation: a second message replaces the first instead of piling up.
    const notice = new Notification(title, { body, tag: `rapport-${conversationId}` });
    notice.onclick = () => {
      openConversation(navigate, conversationId);
      notice.close();
    };
  } catch {
    // Some browsers only allow notifications from a service worker.
  }
}

const clip = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/** A customer wrote: alert when the tab is hidden or another conversation is open, as the agent chose. */
export function alertForMessage(message: Message, conversationId: string, navigate: NavigateFunction): void {
  if (message.kind === 'system' || message.direction !== 'incoming' || message.private) return;
  const open = document.visibilityState === 'visible' && window.location.pathname === `/inbox/${conversationId}`;
  if (open) return;
  const settings = readSettings();
  if (!settings.desktop && !settings.sound) return;
  const name = message.author?.name || 'a visitor';
  const files = message.attachments?.length ?? 0;
  const body = message.content || (files ? `Sent ${files === 1 ? 'a file' : `${files} files`}` : '');
  if (settings.desktop) desktopNotice(message.seq === 1 ? `New conversation from ${name}` : `New message from ${name}`, clip(body), conversationId, navigate);
  if (settings.sound) playChime();
}

export interface NotificationAlert {
  notification?: { id: string; kind: string; title: string; body: string; conversation_id: string | null };
}

/**
 * A notification of mine arrived (assigned, mentioned, an alert): an in-app notice with a link, and
 * the extras chosen for this browser. New messages of followed conversations only count on the bell:
 * customer messages already alert as they come.
 */
export function alertForNotification(event: NotificationAlert, navigate: NavigateFunction): void {
  const n = event.notification;
  if (!n || n.kind === 'message') return;
  const id = `notification-${n.id}`;
  const conversationId = n.conversation_id;
  notifications.show({
    id,
    title: n.title,
    autoClose: 12_000,
    message: conversationId ? (
      <Text size="sm" component="span">
        {n.body ? `${clip(n.body)} · ` : ''}
        <Anchor
          href={`/inbox/${conversationId}`}
          onClick={(e) => {
            e.preventDefault();
            notifications.hide(id);
            openConversation(navigate, conversationId);
          }}
        >
          Open the conversation
        </Anchor>
      </Text>
    ) : (
      clip(n.body)
    ),
  });
  const settings = readSettings();
  if (settings.desktop && document.visibilityState !== 'visible' && conversationId) desktopNotice(n.title, clip(n.body), conversationId, navigate);
  if (settings.sound) playChime();
}
