// Auto-away: after five minutes without keyboard, mouse or touch the app tells the server it is
// idle, and tells it again at the next sign of life. The server turns that into "away".
import { useEffect, useRef } from 'react';
import type { ClientFrame } from './realtime';

export const IDLE_AFTER_MS = 5 * 60_000;
const CHECK_EVERY_MS = 15_000;
const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus'] as const;

export function useIdleReporter(send: (frame: ClientFrame) => void, live: boolean): void {
  const state = useRef({ last: Date.now(), idle: false });

  useEffect(() => {
    const onActivity = () => {
      state.current.last = Date.now();
      if (state.current.idle) {
        state.current.idle = false;
        send({ type: 'activity', idle: false });
      }
    };
    const timer = setInterval(() => {
      if (!state.current.idle && Date.now() - state.current.last >= IDLE_AFTER_MS) {
        state.current.idle = true;
        send({ type: 'activity', idle: true });
      }
    }, CHECK_EVERY_MS);
    for (const name of activityEvents) window.addEventListener(name, onActivity, { passive: true, capture: true });
    return () => {
      clearInterval(timer);
      for (const name of activityEvents) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [send]);

  // A new connection starts out active on the server: repeat that we are idle.
  useEffect(() => {
    if (live && state.current.idle) send({ type: 'activity', idle: true });
  }, [live, send]);
}
