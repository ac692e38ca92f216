import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from './api.js';
import { COLUMNS, EMOJI, moveIn } from './emoji.js';
import { Expiring, TYPING_EVERY_MS, TYPING_SHOWN_MS, TypingSignal, newestAgentSeq, seenKey } from './live.js';
import { fromQueue, fromServer } from './messages.js';

const message = (seq: number, over: Partial<ServerMessage> = {}) =>
  fromServer({
    id: `m${seq}`,
    seq,
    direction: 'incoming',
    content: `message ${seq}`,
    status: 'sent',
    client_message_id: `c${seq}`,
    author: null,
    created_at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    ...over,
  });

describe('TypingSignal', () => {
  it('says "typing" at most every 2 s while there is text', () => {
    const signal = new TypingSignal();
    expect(signal.input('H', 0)).toBe(true);
    expect(signal.input('He', 500)).toBeNull();
    expect(signal.input('Hel', TYPING_EVERY_MS - 1)).toBeNull();
    expect(signal.input('Hell', TYPING_EVERY_MS)).toBe(true);
    expect(signal.input('Hello', TYPING_EVERY_MS + 100)).toBeNull();
  });

  it('says "stopped" once when the text is cleared or sent, and nothing if it never said "typing"', () => {
    const signal = new TypingSignal();
    expect(signal.input('   ', 0)).toBeNull();
    expect(signal.stop()).toBeNull();
    signal.input('Hi', 0);
    expect(signal.input('', 100)).toBe(false);
    expect(signal.input('', 200)).toBeNull();
    // Typing again right after a stop is said at once, not 2 s later.
    expect(signal.input('x', 300)).toBe(true);
    expect(signal.stop()).toBe(false);
    expect(signal.stop()).toBeNull();
  });
});

describe('Expiring', () => {
  afterEach(() => vi.useRealTimers());

  it('clears an agent typing 6 s after the last "typing", and restarts the clock on each', () => {
    vi.useFakeTimers();
    const seen: (string | null)[] = [];
    const typist = new Expiring<string>(TYPING_SHOWN_MS, (v) => seen.push(v));
    typist.set('Sam');
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1000);
    typist.set('Sam');
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1);
    expect(seen).toEqual(['Sam', 'Sam']);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['Sam', 'Sam', null]);
  });

  it('clears at once on "stopped", and no timer fires afterwards', () => {
    vi.useFakeTimers();
    const seen: (string | null)[] = [];
    const typist = new Expiring<string>(TYPING_SHOWN_MS, (v) => seen.push(v));
    typist.set('Sam');
    typist.set(null);
    vi.advanceTimersByTime(TYPING_SHOWN_MS * 2);
    expect(seen).toEqual(['Sam', null]);
  });
});

describe('seenKey', () => {
  const agent = (seq: number) => message(seq, { direction: 'outgoing', client_message_id: null, author: { type: 'user', name: 'Sam', avatar_url: null } });

  it("is the visitor's last message at or below the read mark", () => {
    const list = [message(1), agent(2), message(3), message(4)];
    expect(seenKey(list, 0)).toBeNull();
    expect(seenKey(list, 2)).toBe('c1');
    expect(seenKey(list, 3)).toBe('c3');
    expect(seenKey(list, 9)).toBe('c4');
  });

  it("follows the server's 'read' status after a resync, and never marks an unsent message", () => {
    const pending = fromQueue({ client_message_id: 'p1', content: 'later', created_at: new Date().toISOString() });
    const list = [message(1, { status: 'read' }), message(2, { status: 'read' }), message(3), pending];
    expect(seenKey(list, 0)).toBe('c2');
    expect(seenKey(list, 99)).toBe('c3');
  });

  it('reads the newest agent message only', () => {
    expect(newestAgentSeq([message(1), agent(2), message(5), agent(4)])).toBe(4);
    expect(newestAgentSeq([message(1)])).toBe(0);
  });
});

describe('emoji grid', () => {
  it('has forty emoji, each with an English and a German name', () => {
    expect(EMOJI).toHaveLength(40);
    expect(new Set(EMOJI.map((e) => e[0])).size).toBe(40);
    for (const [, en, de] of EMOJI) expect(en && de).toBeTruthy();
  });

  it('moves with the arrow keys and stops at the edges', () => {
    expect(moveIn(0, 'ArrowRight', 40)).toBe(1);
    expect(moveIn(0, 'ArrowLeft', 40)).toBe(0);
    expect(moveIn(3, 'ArrowDown', 40)).toBe(3 + COLUMNS);
    expect(moveIn(3, 'ArrowUp', 40)).toBe(3);
    expect(moveIn(39, 'ArrowDown', 40)).toBe(39);
    expect(moveIn(12, 'Home', 40)).toBe(0);
    expect(moveIn(12, 'End', 40)).toBe(39);
    expect(moveIn(12, 'a', 40)).toBeNull();
  });
});
