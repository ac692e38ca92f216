/**
 * The small signals around the messages, as logic without timers of its own or a DOM: when the
 * composer says "typing", how long an agent's "typing" stays shown, which of the visitor's
 * messages reads "Seen", and how far the visitor has read.
 */
import type { ChatMessage } from './messages.js';

/** At most one "typing" frame per this many milliseconds while the visitor types. */
export const TYPING_EVERY_MS = 2000;
/** An agent's "typing" disappears this long after the last one, if no "stopped" arrives. */
export const TYPING_SHOWN_MS = 6000;

/** Which typing frames the composer sends: `true` at most every 2 s while there is text, one `false` when it is cleared or sent. */
export class TypingSignal {
  private last = -Infinity;
  private typing = false;

  /** The composer's text is now `text`; answers the frame to send, or null for none. */
  input(text: string, now: number): boolean | null {
    if (!text.trim()) return this.stop();
    if (now - this.last < TYPING_EVERY_MS) return null;
    this.last = now;
    this.typing = true;
    return true;
  }

  /** The text was sent or cleared: `false` once, if the other side was told "typing". */
  stop(): false | null {
    if (!this.typing) return null;
    this.typing = false;
    this.last = -Infinity;
    return false;
  }
}

/** A value that clears itself `ms` after it was last set (an agent who stopped typing without saying so). */
export class Expiring<T> {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly changed: (value: T | null) => void,
  ) {}

  set(value: T | null): void {
    clearTimeout(this.timer);
    this.changed(value);
    if (value != null) this.timer = setTimeout(() => this.changed(null), this.ms);
  }
}

/**
 * The key of the visitor's last message the agents have read: at or below the last
 * `messages.read` mark, or marked 'read' by the server (history fetched after a reload).
 */
export function seenKey(messages: readonly ChatMessage[], readUpTo: number): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.direction === 'incoming' && m.seq != null && (m.seq <= readUpTo || m.status === 'read')) return m.key;
  }
  return null;
}

/** The sequence number of the newest agent message in the list (what the visitor has seen with the panel open), or 0. */
export function newestAgentSeq(messages: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of messages) if (m.direction === 'outgoing' && m.seq != null && m.seq > max) max = m.seq;
  return max;
}
