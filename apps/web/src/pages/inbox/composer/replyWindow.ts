// Reply windows (WhatsApp's 24-hour customer service window): whether a free-form reply can still
// go out, and for how long, worked out again as time passes; and the text agents see for a template.
import { useEffect, useState } from 'react';
import type { MessageTemplate, ReplyWindow } from '../../../api/types';

export interface WindowState {
  /** Whether a free-form reply goes out now (the server's word, unless closes_at has passed since). */
  open: boolean;
  /** Milliseconds until it closes; null when closed or when it has no end. */
  left: number | null;
  /** Whether the customer has never written (the window was never open). */
  never: boolean;
}

export function windowState(window: ReplyWindow, now: number): WindowState {
  const closes = window.closes_at ? Date.parse(window.closes_at) : null;
  const open = window.open && (closes === null || closes > now);
  return { open, left: open && closes !== null ? closes - now : null, never: window.closes_at === null && !window.open };
}

/** "3 h", "45 min", "less than a minute": how long is left, rounded the way a person says it. */
export function timeLeft(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  if (ms < 60_000) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

/** The window now, worked out again every 30 seconds while it is shown. */
export function useWindowState(window: ReplyWindow | null | undefined): WindowState | null {
  const [now, setNow] = useState(() => Date.now());
  const shown = Boolean(window);
  useEffect(() => {
    if (!shown) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [shown, window?.closes_at]);
  return window ? windowState(window, now) : null;
}

/** What agents read in the thread for a template reply: its name, language and values. */
export function templateSummary(template: MessageTemplate): string {
  const values = template.parameters.map((p) => p.trim()).filter(Boolean);
  return `Template “${template.name}” (${template.language})${values.length ? `: ${values.join(' · ')}` : ''}`;
}
