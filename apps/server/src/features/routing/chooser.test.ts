import { describe, expect, it } from 'vitest';
import { channelKind, choose, conversationWants, type Candidate, type ChooseInput } from './chooser.js';

const agent = (name: string, over: Partial<Candidate> = {}): Candidate => ({ userId: name.toLowerCase(), name, online: true, load: 0, capacity: 3, skills: [], lastAssignedAt: null, ...over });
const input = (candidates: Candidate[], over: Partial<ChooseInput> = {}): ChooseInput => ({ mode: 'round_robin', kind: 'chat', candidates, wants: [], cursorUserId: null, ...over });

/** Runs round robin n times, moving the cursor and the load as the database would. */
function rounds(candidates: Candidate[], n: number, over: Partial<ChooseInput> = {}): string[] {
  const people = candidates.map((c) => ({ ...c }));
  let cursor: string | null = null;
  const picked: string[] = [];
  for (let i = 0; i < n; i++) {
    const choice = choose(input(people, { ...over, cursorUserId: cursor }));
    if (!choice.pick) break;
    picked.push(choice.pick.name);
    cursor = choice.pick.userId;
    people.find((p) => p.userId === choice.pick!.userId)!.load++;
  }
  return picked;
}

describe('round robin', () => {
  it('gives each available person a turn, in order, from the one after the cursor', () => {
    expect(rounds([agent('Ana'), agent('Ben'), agent('Cy')], 6)).toEqual(['Ana', 'Ben', 'Cy', 'Ana', 'Ben', 'Cy']);
    expect(choose(input([agent('Ana'), agent('Ben'), agent('Cy')], { cursorUserId: 'ben' })).pick?.name).toBe('Cy');
    expect(choose(input([agent('Ana'), agent('Ben'), agent('Cy')], { cursorUserId: 'cy' })).pick?.name).toBe('Ana');
  });

  it('skips people who are offline or full, and starts over when the cursor names someone who left', () => {
    const people = [agent('Ana'), agent('Ben', { online: false }), agent('Cy', { load: 3 }), agent('Dee')];
    expect(choose(input(people, { cursorUserId: 'ana' })).pick?.name).toBe('Dee');
    expect(choose(input(people, { cursorUserId: 'gone' })).pick?.name).toBe('Ana');
  });

  it('stops at capacity: three chats each, then nobody', () => {
    expect(rounds([agent('Ana'), agent('Ben')], 10)).toEqual(['Ana', 'Ben', 'Ana', 'Ben', 'Ana', 'Ben']);
  });

  it('says why: the rule, the load against capacity, online, and the skills that matched', () => {
    const choice = choose(input([agent('Ana', { load: 1, skills: ['lang:de'] })], { wants: ['lang:de'] }));
    expect(choice).toMatchObject({ pick: { name: 'Ana' }, reason: 'round robin: 1 of 3 chats; online; skill lang:de', matched: ['lang:de'] });
  });
});

describe('least loaded', () => {
  it('picks the lowest share of capacity in use, then the fewest open, then the longest waiting', () => {
    const m = 'least_loaded' as const;
    expect(choose(input([agent('Ana', { load: 2 }), agent('Ben', { load: 1 }), agent('Cy', { load: 2 })], { mode: m })).pick?.name).toBe('Ben');
    // 2 of 10 is less loaded than 1 of 3.
    expect(choose(input([agent('Ana', { load: 1, capacity: 3 }), agent('Ben', { load: 2, capacity: 10 })], { mode: m })).pick?.name).toBe('Ben');
    const earlier = new Date('2026-01-01T10:00:00Z');
    const later = new Date('2026-01-01T11:00:00Z');
    expect(choose(input([agent('Ana', { lastAssignedAt: later }), agent('Ben', { lastAssignedAt: earlier })], { mode: m })).pick?.name).toBe('Ben');
    expect(choose(input([agent('Ana', { lastAssignedAt: later }), agent('Ben')], { mode: m })).pick?.name).toBe('Ben');
    expect(choose(input([agent('Ana', { load: 1 })], { mode: m, kind: 'email' }))).toMatchObject({ reason: 'least loaded: 1 of 3 emails; online' });
  });

  it('never picks someone at or over capacity, or with no capacity for the channel', () => {
    const m = 'least_loaded' as const;
    expect(choose(input([agent('Ana', { load: 3 }), agent('Ben', { capacity: 0 })], { mode: m })).pick).toBeNull();
    expect(choose(input([agent('Ana', { load: 5 }), agent('Ben', { load: 2 })], { mode: m })).pick?.name).toBe('Ben');
  });
});

describe('skills and availability', () => {
  it('prefers those who match most of what the conversation is about, over load and turn', () => {
    const people = [agent('Ana'), agent('Ben', { load: 2, skills: ['lang:de'] }), agent('Cy', { load: 2, skills: ['lang:de', 'product:bikes'] })];
    expect(choose(input(people, { mode: 'least_loaded', wants: ['lang:de'] })).pick?.name).toBe('Ben');
    expect(choose(input(people, { mode: 'least_loaded', wants: ['lang:de', 'product:bikes'] })).pick?.name).toBe('Cy');
    expect(choose(input(people, { wants: ['lang:de'], cursorUserId: 'ben' })).pick?.name).toBe('Cy');
  });

  it('falls back to anyone available when the skilled are offline or full', () => {
    const people = [agent('Ana'), agent('Ben', { online: false, skills: ['lang:de'] }), agent('Cy', { load: 3, skills: ['lang:de'] })];
    expect(choose(input(people, { wants: ['lang:de'] }))).toMatchObject({ pick: { name: 'Ana' }, matched: [] });
  });

  it('says why nobody was picked', () => {
    expect(choose(input([]))).toEqual({ pick: null, reason: 'nobody works here' });
    expect(choose(input([agent('Ana', { online: false }), agent('Ben', { load: 3 }), agent('Cy', { online: false })]))).toEqual({ pick: null, reason: 'nobody available: 2 offline, 1 at capacity for chats' });
  });

  it('leaves out people it is told to (the agent a chat is handed on from)', () => {
    expect(choose(input([agent('Ana'), agent('Ben')], { exclude: ['ana'] })).pick?.name).toBe('Ben');
    expect(choose(input([agent('Ana')], { exclude: ['ana'] })).pick).toBeNull();
  });
});

describe('candidates the database has already narrowed', () => {
  it('walks the circle from where the cursor stands, though the cursor is not among them', () => {
    // Everyone's order is Ana, Ben, Cy, Dee; the cursor (Ben) is offline, so not listed.
    const listed = [agent('Ana', { afterCursor: false }), agent('Cy', { afterCursor: true }), agent('Dee', { afterCursor: true })];
    expect(choose(input(listed, { cursorUserId: 'ben' })).pick?.name).toBe('Cy');
    // From the end of the circle back to its start.
    expect(choose(input([agent('Ana', { afterCursor: false }), agent('Ben', { afterCursor: false })], { cursorUserId: 'dee' })).pick?.name).toBe('Ana');
    // A skilled person before the cursor still wins over an unskilled one after it.
    expect(choose(input([agent('Ana', { afterCursor: false, skills: ['lang:de'] }), agent('Cy', { afterCursor: true })], { wants: ['lang:de'] })).pick?.name).toBe('Ana');
  });

  it('counts those left out in the reason when nobody is left', () => {
    expect(choose(input([], { unavailable: { offline: 2, full: 1 } }))).toEqual({ pick: null, reason: 'nobody available: 2 offline, 1 at capacity for chats' });
    expect(choose(input([], { kind: 'email', unavailable: { offline: 0, full: 1 } }))).toEqual({ pick: null, reason: 'nobody available: 1 at capacity for emails' });
    expect(choose(input([], { unavailable: { offline: 0, full: 0 } }))).toEqual({ pick: null, reason: 'nobody works here' });
  });
});

describe('what a conversation is about', () => {
  it('reads the language, tags and the contact’s text attributes as skills', () => {
    expect(conversationWants({ language: 'de-DE', tags: ['product:bikes', 'VIP', 'two words'], attributes: { plan: 'Pro', last_context: { language: 'fr' }, age: 3 } }).sort()).toEqual(['lang:de', 'plan:pro', 'product:bikes', 'vip']);
    expect(conversationWants({ language: 'not a language!' })).toEqual([]);
    expect(conversationWants({})).toEqual([]);
  });

  it('counts each channel against its kind of capacity', () => {
    expect(['webchat', 'email', 'phone', 'whatsapp', 'telegram', 'api'].map(channelKind)).toEqual(['chat', 'email', 'phone', 'messaging', 'messaging', 'messaging']);
  });
});
