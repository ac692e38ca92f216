/** Business hours on inboxes, the widget's availability, and the email a visitor leaves while the team is away (SECURITY 26). */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp, type WorkspaceFixture } from './helpers.js';

let t: TestApp;
let ws: WorkspaceFixture;
let admin: Record<string, string>;
let agent: Record<string, string>;

interface Inbox {
  id: string;
  widget_key: string;
  identity_secret: string;
  business_hours: null | { time_zone: string; days: Record<string, string[][]>; holidays?: string[] };
}
interface Session {
  visitor_token: string;
  visitor: { contact_id: string; email: string | null; verified: boolean; left_email: string | null };
  inbox: { reply_time: { text: string }; availability: { open: boolean; next_open_at: string | null; time_zone: string | null; text: string | null } };
}

const weekdays = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };
// No day has hours: closed now and never open (holidays and weekends aside, nothing to wait for).
const neverOpen = { time_zone: 'Europe/Berlin', days: {} };

beforeAll(async () => {
  t = await startTestApp();
  ws = await makeWorkspace(t, 'Hours');
  admin = await sessionFor(t, ws.owner.id, ws.accountId);
  const person = await makeMember(t, ws.accountId, 'agent');
  agent = await sessionFor(t, person.id, ws.accountId);
});
afterAll(async () => t?.close());

const createInbox = async (extra: Record<string, unknown> = {}) => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: admin, payload: { channel: 'webchat', name: 'Website', ...extra } });
  return { res, inbox: json<Inbox>(res) };
};
const patchInbox = (id: string, payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${id}`, headers: admin, payload });
const session = async (key: string, body: Record<string, unknown> = {}) => json<Session>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: key, ...body } }));
const leave = (token: string, payload: unknown, remoteAddress?: string) =>
  t.app.inject({ method: 'PATCH', url: '/api/v1/widget/visitor', headers: { 'x-visitor-token': token }, payload: payload as Record<string, unknown>, ...(remoteAddress ? { remoteAddress } : {}) });

describe('inbox business hours', () => {
  it('are null (always open) unless set, and round-trip through create, read and update', async () => {
    const { inbox } = await createInbox();
    expect(inbox.business_hours).toBeNull();
    const hours = { time_zone: 'Europe/Berlin', days: weekdays, holidays: ['2025-12-26', '2025-12-25'] };
    const patched = await patchInbox(inbox.id, { business_hours: hours });
    expect(patched.statusCode).toBe(200);
    expect(json<Inbox>(patched).business_hours).toEqual({ ...hours, holidays: ['2025-12-25', '2025-12-26'] });
    const read = json<Inbox>(await t.app.inject({ method: 'GET', url: `/api/v1/inboxes/${inbox.id}`, headers: admin }));
    expect(read.business_hours).toMatchObject({ time_zone: 'Europe/Berlin', days: weekdays });
    const list = json<{ data: Inbox[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/inboxes', headers: admin }));
    expect(list.data.find((i) => i.id === inbox.id)?.business_hours?.time_zone).toBe('Europe/Berlin');
    // Other changes leave the hours alone; null makes the inbox always open again.
    expect(json<Inbox>(await patchInbox(inbox.id, { name: 'Renamed' })).business_hours?.time_zone).toBe('Europe/Berlin');
    expect(json<Inbox>(await patchInbox(inbox.id, { business_hours: null })).business_hours).toBeNull();
    const created = await createInbox({ business_hours: { time_zone: 'America/New_York', days: { sat: [['10:00', '14:00']] } } });
    expect(created.res.statusCode).toBe(201);
    expect(created.inbox.business_hours).toMatchObject({ time_zone: 'America/New_York', days: { sat: [['10:00', '14:00']] }, holidays: [] });
  });

  it('refuse an unknown time zone with 422 and a message naming it', async () => {
    const { inbox } = await createInbox();
    const res = await patchInbox(inbox.id, { business_hours: { time_zone: 'Europe/Atlantis', days: weekdays } });
    expect(res.statusCode).toBe(422);
    expect(json(res)).toMatchObject({
      error: { code: 'invalid_business_hours', message: expect.stringContaining('"Europe/Atlantis" is not a known IANA time zone'), details: [{ field: 'business_hours.time_zone' }] },
    });
    const created = await createInbox({ business_hours: { time_zone: 'CEST', days: weekdays } });
    expect(created.res.statusCode).toBe(422);
  });

  it('refuse closing before opening, overlaps and impossible dates with 422, per field', async () => {
    const { inbox } = await createInbox();
    const res = await patchInbox(inbox.id, { business_hours: { time_zone: 'UTC', days: { mon: [['17:00', '09:00']], tue: [['09:00', '13:00'], ['12:00', '17:00']] }, holidays: ['2025-02-30'] } });
    expect(res.statusCode).toBe(422);
    expect(json<{ error: { details: Array<{ field: string }> } }>(res).error.details.map((d) => d.field)).toEqual(['business_hours.days.mon.0', 'business_hours.days.tue', 'business_hours.holidays.0']);
    // Nothing was stored.
    expect(json<Inbox>(await t.app.inject({ method: 'GET', url: `/api/v1/inboxes/${inbox.id}`, headers: admin })).business_hours).toBeNull();
  });

  it('refuse malformed times, unknown days and too many intervals as invalid requests (400)', async () => {
    const { inbox } = await createInbox();
    for (const days of [{ mon: [['9:00', '17:00']] }, { mon: [['09:00', '25:00']] }, { monday: [['09:00', '17:00']] }, { mon: [['09:00']] }, { mon: Array.from({ length: 5 }, () => ['09:00', '10:00']) }]) {
      const res = await patchInbox(inbox.id, { business_hours: { time_zone: 'UTC', days } });
      expect(res.statusCode, JSON.stringify(days)).toBe(400);
      expect(json(res)).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('may be changed by admins only', async () => {
    const { inbox } = await createInbox();
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, headers: agent, payload: { business_hours: neverOpen } });
    expect(res.statusCode).toBe(403);
  });

  it('are in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    expect(JSON.stringify(doc.paths['/api/v1/inboxes/{id}'].patch)).toContain('business_hours');
    expect(JSON.stringify(doc.paths['/api/v1/widget/sessions'].post)).toContain('next_open_at');
    expect(doc.paths['/api/v1/widget/visitor'].patch).toBeDefined();
  });
});

describe('widget availability', () => {
  it('an inbox without hours is open, and the reply time is unchanged', async () => {
    const { inbox } = await createInbox();
    const s = await session(inbox.widget_key);
    expect(s.inbox.availability).toEqual({ open: true, next_open_at: null, time_zone: null, text: null });
    expect(s.inbox.reply_time.text).toMatch(/^We (typically reply|will reply)/);
  });

  it('an inbox always open by its hours is open', async () => {
    const all = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
    const { inbox } = await createInbox({ business_hours: { time_zone: 'Pacific/Auckland', days: all } });
    expect((await session(inbox.widget_key)).inbox.availability).toMatchObject({ open: true, next_open_at: null, time_zone: 'Pacific/Auckland' });
  });

  it('a closed inbox says when it opens next, as an instant and in words', async () => {
    // Open only on a day that is not today (in UTC): closed now, opening within the week.
    const today = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date().getUTCDay()];
    const other = today === 'wed' ? 'thu' : 'wed';
    const { inbox } = await createInbox({ business_hours: { time_zone: 'UTC', days: { [other]: [['09:00', '17:00']] } } });
    const a = (await session(inbox.widget_key)).inbox.availability;
    expect(a.open).toBe(false);
    expect(a.time_zone).toBe('UTC');
    const next = new Date(a.next_open_at!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThan(7 * 86_400_000);
    expect(next.toISOString()).toMatch(/T09:00:00\.000Z$/);
    expect(a.text).toMatch(/^We're away\. Back (tomorrow|\w+day) at 09:00 \(UTC time\)\.$/);
  });

  it('a schedule that never opens is closed with no next opening', async () => {
    const { inbox } = await createInbox({ business_hours: neverOpen });
    expect((await session(inbox.widget_key)).inbox.availability).toEqual({ open: false, next_open_at: null, time_zone: 'Europe/Berlin', text: "We're away. We will reply as soon as we are back." });
  });
});

describe('a visitor leaves an email', () => {
  let key: string;
  let secret: string;
  beforeAll(async () => {
    const { inbox } = await createInbox({ business_hours: neverOpen });
    key = inbox.widget_key;
    secret = inbox.identity_secret;
  });

  it('is kept on their own contact, unverified, and shown to agents as such', async () => {
    const v = await session(key);
    const res = await leave(v.visitor_token, { email: '  Ada@Example.com ', name: 'Ada' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ email: 'ada@example.com', name: 'Ada', left_at: expect.any(String) });
    const contact = json(await t.app.inject({ method: 'GET', url: `/api/v1/contacts/${v.visitor.contact_id}`, headers: agent }));
    expect(contact).toMatchObject({ email: null, left_email: { email: 'ada@example.com', name: 'Ada' }, identities: [] });
    // The widget learns it again on its next session.
    const again = await session(key, { visitor_token: v.visitor_token });
    expect(again.visitor).toMatchObject({ contact_id: v.visitor.contact_id, left_email: 'ada@example.com', email: null, verified: false });
  });

  it("claiming an existing customer's email gives no history, no merge and no change to that customer (SECURITY 26)", async () => {
    // A verified customer with a conversation.
    const sign = (id: string) => createHmac('sha256', secret).update(id).digest('hex');
    const real = await session(key, { identity: { id: 'cust-7', email: 'natalie@example.com', name: 'Natalie', hash: sign('cust-7') } });
    expect(real.visitor.verified).toBe(true);
    await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': real.visitor_token }, payload: { content: 'Where is order 77?', client_message_id: 'n-1' } });
    const before = await scoped(t.ctx.db, ws.accountId).selectFrom('contacts').select(['email', 'attributes']).where('id', '=', real.visitor.contact_id).executeTakeFirstOrThrow();

    const impostor = await session(key);
    const res = await leave(impostor.visitor_token, { email: 'natalie@example.com' });
    expect(res.statusCode).toBe(200);
    // The answer only echoes what was typed: nothing tells whether that email is known.
    expect(Object.keys(json(res)).sort()).toEqual(['email', 'left_at', 'name']);
    const after = await session(key, { visitor_token: impostor.visitor_token });
    expect(after.visitor.contact_id).toBe(impostor.visitor.contact_id);
    expect(after.visitor.contact_id).not.toBe(real.visitor.contact_id);
    expect(after.visitor).toMatchObject({ email: null, verified: false });
    const history = json<{ data: unknown[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': impostor.visitor_token } }));
    expect(history.data).toEqual([]);
    const untouched = await scoped(t.ctx.db, ws.accountId).selectFrom('contacts').select(['email', 'attributes']).where('id', '=', real.visitor.contact_id).executeTakeFirstOrThrow();
    expect(untouched).toEqual(before);
    const conversations = await scoped(t.ctx.db, ws.accountId).selectFrom('conversations').select('id').where('contact_id', '=', impostor.visitor.contact_id).execute();
    expect(conversations).toEqual([]);
  });

  it('refuses something that is not an email with 422 invalid_email and a readable message', async () => {
    const v = await session(key);
    for (const email of ['not an email', 'ada@', '@example.com', 'ada@example', 'a b@example.com']) {
      const res = await leave(v.visitor_token, { email });
      expect(res.statusCode, email).toBe(422);
      expect(json(res)).toMatchObject({ error: { code: 'invalid_email', message: expect.stringContaining('not an email address'), details: [{ field: 'email' }] } });
    }
    expect((await leave(v.visitor_token, { email: 'x'.repeat(250) + '@example.com' })).statusCode).toBe(400);
    expect((await leave(v.visitor_token, { email: 'ada@example.com', role: 'admin' })).statusCode).toBe(400);
  });

  it('needs a valid visitor token', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/widget/visitor', headers: { 'x-visitor-token': 'vt_forged-forged-forged-forged-forged-forged-x' }, payload: { email: 'a@example.com' } });
    expect(res.statusCode).toBe(401);
    expect(json(res)).toMatchObject({ error: { code: 'visitor_token_invalid' } });
  });

  it('is rate limited per visitor', async () => {
    const v = await session(key);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await leave(v.visitor_token, { email: `try${i}@example.com` })).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
