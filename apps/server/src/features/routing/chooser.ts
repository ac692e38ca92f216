/**
 * The pure part of routing: given the people who could take a conversation (with their presence,
 * load, capacity and skills), pick one and say why in a sentence a teammate understands. No
 * database here, so every rule is tested with plain values (chooser.test.ts).
 */
import type { ChannelKind } from '../../core/db/schema.js';

export type AutoMode = 'round_robin' | 'least_loaded';

export interface Candidate {
  userId: string;
  name: string;
  online: boolean;
  /** Open conversations of this channel kind the person has now. */
  load: number;
  /** How many of this kind they take at once (0: none). */
  capacity: number;
  skills: readonly string[];
  lastAssignedAt: Date | null;
  /**
   * Whether the person comes after the round-robin cursor in everyone's order. Set when the
   * database already left out those who cannot take the conversation (the cursor among them), so
   * the circle is walked from where the cursor stands rather than from its place in this list.
   */
  afterCursor?: boolean;
}

/** People the database left out of the candidates already, counted for the reason when nobody is left. */
export interface Unavailable {
  offline: number;
  full: number;
}

export interface ChooseInput {
  mode: AutoMode;
  kind: ChannelKind;
  /** Candidates in a stable order (round robin walks it in a circle). */
  candidates: readonly Candidate[];
  /** What the conversation is about, as skills would name it (conversationWants). */
  wants: readonly string[];
  /** Round robin: who got the last one. */
  cursorUserId: string | null;
  /** People not to pick (the agent a conversation is handed on from). */
  exclude?: readonly string[];
  /** Left out before the candidates were listed (they are offline or at capacity). */
  unavailable?: Unavailable;
}

export type Choice = { pick: Candidate; reason: string; matched: string[] } | { pick: null; reason: string };

const NOUNS: Record<ChannelKind, string> = { chat: 'chats', email: 'emails', messaging: 'messages', phone: 'calls' };
const MODE_LABEL: Record<AutoMode, string> = { round_robin: 'round robin', least_loaded: 'least loaded' };

export const modeLabel = (mode: AutoMode) => MODE_LABEL[mode];

/** Picks the next person for a conversation, or nobody (and why). */
export function choose(input: ChooseInput): Choice {
  const excluded = new Set(input.exclude ?? []);
  const pool = input.candidates.filter((c) => !excluded.has(c.userId));
  const available = pool.filter((c) => c.online && c.load < c.capacity);
  if (available.length === 0) return { pick: null, reason: nobodyReason(pool, input.kind, input.unavailable) };

  // Skills are a preference: those who match most of what the conversation is about go first,
  // and a conversation nobody matches still reaches someone.
  const wants = new Set(input.wants);
  const matchesOf = (c: Candidate) => c.skills.filter((s) => wants.has(s));
  const best = Math.max(...available.map((c) => matchesOf(c).length));
  const shortlist = available.filter((c) => matchesOf(c).length === best);

  const pick = input.mode === 'round_robin' ? nextInCircle(input.candidates, shortlist, input.cursorUserId) : leastLoaded(shortlist);
  const matched = matchesOf(pick);
  const parts = [`${MODE_LABEL[input.mode]}: ${pick.load} of ${pick.capacity} ${NOUNS[input.kind]}`, 'online', ...matched.map((s) => `skill ${s}`)];
  return { pick, reason: parts.join('; '), matched };
}

/** The first of the shortlist after the cursor, walking everyone's order in a circle (so each gets a turn). */
function nextInCircle(order: readonly Candidate[], shortlist: readonly Candidate[], cursor: string | null): Candidate {
  if (order.some((c) => c.afterCursor !== undefined)) return shortlist.find((c) => c.afterCursor) ?? shortlist[0];
  const ids = new Set(shortlist.map((c) => c.userId));
  const start = cursor ? order.findIndex((c) => c.userId === cursor) + 1 : 0;
  for (let i = 0; i < order.length; i++) {
    const c = order[(start + i) % order.length];
    if (ids.has(c.userId)) return c;
  }
  return shortlist[0];
}

/** The lowest share of their capacity in use; then the fewest open; then the longest since their last. */
function leastLoaded(shortlist: readonly Candidate[]): Candidate {
  const since = (c: Candidate) => c.lastAssignedAt?.getTime() ?? -Infinity;
  return [...shortlist].sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.load - b.load || since(a) - since(b))[0];
}

function nobodyReason(pool: readonly Candidate[], kind: ChannelKind, unavailable: Unavailable = { offline: 0, full: 0 }): string {
  const offline = pool.filter((c) => !c.online).length + unavailable.offline;
  const full = pool.filter((c) => c.online && c.load >= c.capacity).length + unavailable.full;
  if (pool.length === 0 && offline === 0 && full === 0) return 'nobody works here';
  const parts = [offline && `${offline} offline`, full && `${full} at capacity for ${NOUNS[kind]}`].filter(Boolean);
  return `nobody available: ${parts.join(', ')}`;
}

/** A skill: lowercase, optionally a namespace and a value (`lang:de`, `product:bikes`, `vip`). */
export const SKILL_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}(:[a-z0-9][a-z0-9_.-]{0,39})?$/;

/**
 * What a conversation is about, in skills' words: the customer's language (`lang:de` from
 * `de-DE`), its tags (`product:bikes`, `vip`), and the contact's own text attributes (`plan: pro`
 * → `plan:pro`).
 */
export function conversationWants(c: { language?: string | null; tags?: readonly string[]; attributes?: Record<string, unknown> }): string[] {
  const wants = new Set<string>();
  const lang = c.language?.trim().toLowerCase().split(/[-_]/)[0];
  if (lang && /^[a-z]{2,3}$/.test(lang)) wants.add(`lang:${lang}`);
  for (const t of c.tags ?? []) if (SKILL_PATTERN.test(t.toLowerCase())) wants.add(t.toLowerCase());
  for (const [k, v] of Object.entries(c.attributes ?? {})) {
    if (typeof v !== 'string') continue;
    const skill = `${k}:${v}`.toLowerCase();
    if (SKILL_PATTERN.test(skill)) wants.add(skill);
  }
  return [...wants];
}

/** Which capacity a channel counts against. */
export function channelKind(channel: string): ChannelKind {
  if (channel === 'webchat') return 'chat';
  if (channel === 'email') return 'email';
  if (channel === 'phone') return 'phone';
  return 'messaging';
}

export const CHANNEL_KINDS: readonly ChannelKind[] = ['chat', 'email', 'messaging', 'phone'];
export const DEFAULT_CAPACITY: Record<ChannelKind, number> = { chat: 3, email: 10, messaging: 5, phone: 1 };
