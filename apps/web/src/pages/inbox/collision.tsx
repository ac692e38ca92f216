// Collision warnings: who else has this conversation open and who is typing in it, so two agents
// do not answer the same customer at once. Both are ephemeral socket frames that expire on their own.
import { Box, Group, Text } from '@mantine/core';
import { IconEye, IconPencil } from '@tabler/icons-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Message } from '../../api/types';
import { useRealtime, useRealtimeEvents } from '../../lib/realtime';
import { useSession } from '../../lib/session';
import classes from './Inbox.module.css';

const VIEWING_EVERY_MS = 20_000;
const VIEWING_EXPIRES_MS = 45_000;
const TYPING_EVERY_MS = 2_000;
const TYPING_EXPIRES_MS = 6_000;

interface Viewer {
  name: string;
  expires: number;
}

interface Typer extends Viewer {
  note: boolean;
  customer: boolean;
}

interface TypingData {
  typing?: boolean;
  private?: boolean;
  user?: { id: string; name: string } | null;
  contact?: { id: string; name: string | null } | null;
}

/** Tells the server this conversation is open, and collects who else views it and who types in it. */
export function useCollision(conversationId: string) {
  const { send, status } = useRealtime();
  const { user: me } = useSession();
  const [viewers, setViewers] = useState<Map<string, Viewer>>(() => new Map());
  const [typers, setTypers] = useState<Map<string, Typer>>(() => new Map());

  useEffect(() => {
    if (status !== 'live') return;
    const announce = () => send({ type: 'viewing', conversation_id: conversationId });
    const leave = () => send({ type: 'viewing', conversation_id: conversationId, viewing: false });
    announce();
    const timer = setInterval(announce, VIEWING_EVERY_MS);
    // Closing or reloading the tab unmounts nothing: say goodbye while the socket is still open.
    window.addEventListener('pagehide', leave);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [conversationId, status, send]);

  useRealtimeEvents((event) => {
    if (event.conversation_id !== conversationId) return;
    if (event.event === 'conversation.viewing') {
      const { user, viewing } = event.data as { user?: { id: string; name: string }; viewing?: boolean };
      if (!user || user.id === me.id) return;
      // Someone new arrived: say we are here too, so they need not wait for our next refresh.
      if (viewing !== false && !viewers.has(user.id)) send({ type: 'viewing', conversation_id: conversationId });
      setViewers((current) => withEntry(current, user.id, viewing === false ? null : { name: user.name, expires: Date.now() + VIEWING_EXPIRES_MS }));
    } else if (event.event === 'conversation.typing') {
      const data = event.data as TypingData;
      if (data.user?.id === me.id) return;
      const key = data.user ? `user:${data.user.id}` : data.contact ? `contact:${data.contact.id}` : null;
      if (!key) return;
      const typer = { name: data.user?.name || data.contact?.name || 'Customer', note: Boolean(data.private), customer: !data.user, expires: Date.now() + TYPING_EXPIRES_MS };
      setTypers((current) => withEntry(current, key, data.typing === false ? null : typer));
    } else if (event.event === 'message.created') {
      // Whoever just sent has stopped typing.
      const author = (event.data as { message?: Message }).message?.author;
      if (author) setTypers((current) => withEntry(current, `${author.type}:${author.id}`, null));
    }
  });

  // Drop indicators whose refresh never came.
  const live = viewers.size + typers.size > 0;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      const now = Date.now();
      setViewers((current) => pruned(current, now));
      setTypers((current) => pruned(current, now));
    }, 1_000);
    return () => clearInterval(timer);
  }, [live]);

  return { viewers: [...viewers.values()], typers: [...typers.values()] };
}

function withEntry<T>(current: Map<string, T>, key: string, value: T | null): Map<string, T> {
  if (value === null && !current.has(key)) return current;
  const next = new Map(current);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next;
}

function pruned<T extends Viewer>(current: Map<string, T>, now: number): Map<string, T> {
  const expired = [...current].filter(([, v]) => v.expires <= now);
  if (expired.length === 0) return current;
  const next = new Map(current);
  for (const [key] of expired) next.delete(key);
  return next;
}

/** Sends "typing" at most every 2 s while the agent writes, and a stop when the text is cleared or sent. */
export function useTypingSignal(conversationId: string) {
  const { send } = useRealtime();
  const last = useRef<{ at: number; note: boolean } | null>(null);

  const stop = useCallback(() => {
    if (!last.current) return;
    last.current = null;
    send({ type: 'typing', conversation_id: conversationId, typing: false });
  }, [conversationId, send]);

  const typed = useCallback(
    (text: string, note: boolean) => {
      if (!text.trim()) return stop();
      const now = Date.now();
      if (last.current && last.current.note === note && now - last.current.at < TYPING_EVERY_MS) return;
      last.current = { at: now, note };
      send({ type: 'typing', conversation_id: conversationId, private: note });
    },
    [conversationId, send, stop],
  );

  useEffect(() => stop, [stop]);
  return { typed, stop };
}

const list = new Intl.ListFormat('en', { type: 'conjunction' });

/** "Sam is viewing" and "Customer is typing…": a polite live region above the composer. */
export function CollisionBar({ viewers, typers }: { viewers: Viewer[]; typers: Typer[] }) {
  const empty = viewers.length === 0 && typers.length === 0;
  return (
    <Box role="status" aria-live="polite" className={classes.collisionBar} data-empty={empty || undefined}>
      {!empty && (
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="md" wrap="wrap">
            {typers.map((t) => (
              <Text key={`${t.customer ? 'c' : 'u'}-${t.name}`} size="xs" c={t.note ? 'var(--mantine-color-yellow-light-color)' : 'dimmed'} className={classes.typing}>
                <IconPencil size={12} aria-hidden />
                {t.name} is typing{t.note ? ' a note' : ''}…
              </Text>
            ))}
          </Group>
          {viewers.length > 0 && (
            <Text size="xs" c="dimmed" className={classes.typing}>
              <IconEye size={12} aria-hidden />
              {list.format(viewers.map((v) => v.name))} {viewers.length === 1 ? 'is' : 'are'} viewing
            </Text>
          )}
        </Group>
      )}
    </Box>
  );
}
