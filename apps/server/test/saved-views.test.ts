/**
 * Saved views: filters of the conversation list kept by name, personal or shared with the team;
 * validated like the list's filters; changed only by their owner (or an admin, when shared);
 * kept inside their workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';

type View = { id: string; name: string; filters: Record<string, string>; shared: boolean; owner: { id: string; name: string } | null; can_edit: boolean };

let t: TestApp;
let admin: Record<string, string>;
let alice: Record<string, string>;
let bob: Record<string, string>;
let other: Record<string, string>;
let aliceId: string;
let inboxId: string;
let otherInboxId: string;

const call = (headers: Record<string, string>, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => t.app.inject({ method, url: `/api/v1/saved-views${url}`, headers, ...(payload ? { payload } : {}) });
const list = async (headers: Record<string, string>) => json<{ data: View[] }>(await call(headers, 'GET', '')).data;
const create = async (headers: Record<string, string>, body: object) => {
  const res = await call(headers, 'POST', '', body);
  expect(res.statusCode, res.body).toBe(201);
  return json<View>(res);
};

beforeAll(async () => {
  t = await startTestApp();
  const ws = await makeWorkspace(t, 'Shop');
  admin = await sessionFor(t, ws.owner.id, ws.accountId);
  const a = await makeMember(t, ws.accountId, 'agent');
  aliceId = a.id;
  alice = await sessionFor(t, a.id, ws.accountId);
  const b = await makeMember(t, ws.accountId, 'agent');
  bob = await sessionFor(t, b.id, ws.accountId);
  inboxId = (await scoped(t.ctx.db, ws.accountId).insertInto('inboxes', { name: 'Chat', channel: 'web_chat' }).returning('id').executeTakeFirstOrThrow()).id;
  const ws2 = await makeWorkspace(t, 'Elsewhere');
  other = await sessionFor(t, ws2.owner.id, ws2.accountId);
  otherInboxId = (await scoped(t.ctx.db, ws2.accountId).insertInto('inboxes', { name: 'Theirs', channel: 'web_chat' }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

describe('saved views', () => {
  it('requires authentication', async () => {
    expect((await call({}, 'GET', '')).statusCode).toBe(401);
  });

  it('keeps a personal view to its owner and shows a shared one to the team', async () => {
    const mine = await create(alice, { name: 'My open chats', filters: { assignee: 'me', status: 'open', inbox_id: inboxId } });
    expect(mine).toMatchObject({ name: 'My open chats', shared: false, can_edit: true, owner: { id: aliceId }, filters: { assignee: 'me', status: 'open', inbox_id: inboxId } });
    const team = await create(alice, { name: 'Waiting, unassigned', filters: { assignee: 'unassigned', sort: 'waiting' }, shared: true });
    expect((await list(alice)).map((v) => v.name)).toEqual(['My open chats', 'Waiting, unassigned']);
    const seenByBob = await list(bob);
    expect(seenByBob.map((v) => [v.name, v.can_edit])).toEqual([['Waiting, unassigned', false]]);
    expect((await list(admin)).find((v) => v.id === team.id)?.can_edit).toBe(true);
    // Bob cannot see Alice's personal view, let alone change it.
    expect((await call(bob, 'PATCH', `/${mine.id}`, { name: 'Taken' })).statusCode).toBe(404);
    expect((await call(bob, 'DELETE', `/${mine.id}`)).statusCode).toBe(404);
    expect((await call(admin, 'DELETE', `/${mine.id}`)).statusCode).toBe(404);
  });

  it('lets only the owner or an admin change or delete a shared view', async () => {
    const team = await create(alice, { name: 'Billing', filters: { tag: 'billing' }, shared: true });
    const refused = await call(bob, 'PATCH', `/${team.id}`, { name: 'Mine now' });
    expect(refused.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(refused).error.code).toBe('forbidden');
    expect((await call(bob, 'DELETE', `/${team.id}`)).statusCode).toBe(403);
    const renamed = await call(admin, 'PATCH', `/${team.id}`, { name: 'Billing questions', filters: { tag: 'billing', status: 'open' } });
    expect(renamed.statusCode).toBe(200);
    expect(json<View>(renamed)).toMatchObject({ name: 'Billing questions', filters: { tag: 'billing', status: 'open' }, owner: { id: aliceId } });
    const unshared = await call(alice, 'PATCH', `/${team.id}`, { shared: false });
    expect(json<View>(unshared).shared).toBe(false);
    expect((await list(bob)).map((v) => v.id)).not.toContain(team.id);
    expect((await call(alice, 'DELETE', `/${team.id}`)).statusCode).toBe(204);
    expect((await list(alice)).map((v) => v.id)).not.toContain(team.id);
  });

  it('validates the filters like the conversation list does, naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{ name: 'x', filters: { status: 'closed' } }, 'filters.status'],
      [{ name: 'x', filters: { inbox_id: 'nope' } }, 'filters.inbox_id'],
      [{ name: 'x', filters: { status: 'open', "pg_sleep(5)": 1 } }, 'filters.pg_sleep(5)'],
      [{ name: 'x', filters: { tag: "x' or 1=1" } }, 'filters.tag'],
      [{ name: 'x', filters: { cursor: 'abc' } }, 'filters.cursor'],
      [{ name: '', filters: {} }, 'name'],
      [{ name: 'x', filters: { status: { $ne: 'open' } } }, 'filters.status'],
    ];
    for (const [body, field] of cases) {
      const res = await call(alice, 'POST', '', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json<{ error: { details: Array<{ field: string }> } }>(res).error.details.map((d) => d.field)).toContain(field);
    }
  });

  it("refuses another workspace's inbox in the filters, and keeps workspaces apart", async () => {
    const res = await call(alice, 'POST', '', { name: 'Theirs', filters: { inbox_id: otherInboxId } });
    expect(res.statusCode).toBe(422);
    expect(json<{ error: { code: string; details: Array<{ field: string }> } }>(res).error).toMatchObject({ code: 'invalid_reference', details: [{ field: 'filters.inbox_id' }] });
    const shared = await create(alice, { name: 'Ours', filters: { status: 'open' }, shared: true });
    expect((await list(other)).map((v) => v.id)).not.toContain(shared.id);
    expect((await call(other, 'PATCH', `/${shared.id}`, { name: 'Stolen' })).statusCode).toBe(404);
    expect((await call(other, 'DELETE', `/${shared.id}`)).statusCode).toBe(404);
    expect((await list(alice)).find((v) => v.id === shared.id)?.name).toBe('Ours');
  });
});
