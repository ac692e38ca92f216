/**
 * Visitors of the web chat: who they are (a visitor token kept by the widget; optionally a
 * signed-in user of the site, proven by an HMAC of their id made with the inbox's secret), and
 * what the inbox tells them (name, greeting, who answers, how fast).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { DB } from '../../core/db/schema.js';
import { scoped, unscoped } from '../../core/db/tenant.js';
import { hashToken, newToken } from '../../core/auth/secrets.js';
import { AppError } from '../../core/errors.js';
import { changedFields, recordContactUpdated, type ContactChange } from '../contacts/contacts.events.js';
import { availabilityAt, describeOpening, type Schedule } from '../business-hours/schedule.js';
import { effectiveSchedule } from '../business-hours/effective.js';

export interface WidgetInbox {
  id: string;
  account_id: string;
  name: string;
  greeting: string;
  allowed_origins: string[];
  identity_secret: string | null;
  business_hours: Schedule | null;
}

export interface Visitor {
  accountId: string;
  inboxId: string;
  contactId: string;
}

/** The inbox a widget key names; the key itself says which workspace, so this spans workspaces. */
export async function inboxByKey(db: Kysely<DB>, key: string): Promise<WidgetInbox> {
  const inbox = await unscoped(db)
    .selectFrom('inboxes')
    .select(['id', 'account_id', 'name', 'greeting', 'allowed_origins', 'identity_secret', 'business_hours'])
    .where('widget_key', '=', key)
    .where('channel', '=', 'webchat')
    .executeTakeFirst();
  if (!inbox) throw new AppError('widget_not_found');
  return inbox;
}

/** The visitor a token belongs to, or null. Tokens are stored as SHA-256 only. */
export async function visitorByToken(db: Kysely<DB>, token: string | undefined): Promise<Visitor | null> {
  if (!token || token.length < 20 || token.length > 100) return null;
  // The token names its workspace: a lookup across workspaces by design.
  const row = await unscoped(db)
    .selectFrom('contact_identities')
    .select(['account_id', 'inbox_id', 'contact_id'])
    .where('kind', '=', 'visitor')
    .where('value', '=', hashToken(token))
    .executeTakeFirst();
  return row?.inbox_id ? { accountId: row.account_id, inboxId: row.inbox_id, contactId: row.contact_id } : null;
}

/** HMAC-SHA256(secret, id) as lower-case hex, compared in constant time. */
export function identityHashValid(secret: string, id: string, hash: string | undefined): boolean {
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return false;
  const expected = createHmac('sha256', secret).update(id).digest();
  return timingSafeEqual(expected, Buffer.from(hash, 'hex'));
}

export interface SessionInput {
  visitorToken?: string;
  identity?: { id: string; email?: string; name?: string; hash?: string };
  context: Record<string, string | undefined>;
}

/**
 * Resumes or starts a visitor session. A verified identity links the visitor to the contact that
 * carries that id (and its history); an unverified claim never does — it is kept as a claim on
 * the visitor's own contact, for agents to see as unverified.
 */
export async function startSession(ctx: AppContext, inbox: WidgetInbox, input: SessionInput) {
  const db = ctx.db;
  const ws = scoped(db, inbox.account_id);
  const current = await visitorByToken(db, input.visitorToken);
  let contactId = current && current.inboxId === inbox.id ? current.contactId : null;
  const claim = input.identity;
  const verified = !!claim && !!inbox.identity_secret && identityHashValid(ctx.box.open(inbox.identity_secret), claim.id, claim.hash);

  const session = await db.transaction().execute(async (trx) => {
    const tws = scoped(trx, inbox.account_id);
    if (verified && claim) {
      const known = await tws.selectFrom('contact_identities').select('contact_id').where('kind', '=', 'external_id').where('value', '=', claim.id).where('inbox_id', 'is', null).where('verified', '=', true).executeTakeFirst();
      const changed: ContactChange[] = [];
      if (known) {
        contactId = known.contact_id;
      } else {
        if (!contactId) contactId = (await tws.insertInto('contacts', { name: claim.name ?? '' }).returning('id').executeTakeFirstOrThrow()).id;
        else changed.push('identities');
        await tws.insertInto('contact_identities', { contact_id: contactId, kind: 'external_id', value: claim.id, inbox_id: null, verified: true }).execute();
      }
      const changes: { name?: string; email?: string } = {};
      if (claim.name) changes.name = claim.name.slice(0, 120);
      if (claim.email) changes.email = claim.email.slice(0, 254).toLowerCase();
      if (Object.keys(changes).length) {
        const before = await tws.selectFrom('contacts').select(['name', 'email']).where('id', '=', contactId).executeTakeFirstOrThrow();
        changed.push(...changedFields(before, changes));
        await tws.updateTable('contacts').set(changes).where('id', '=', contactId).execute();
      }
      // A contact made just now is new, not changed.
      if (known || changed.includes('identities')) await recordContactUpdated(trx, inbox.account_id, contactId, changed);
    }
    if (!contactId) contactId = (await tws.insertInto('contacts', { name: '' }).returning('id').executeTakeFirstOrThrow()).id;

    // A resumed session without page details keeps the last ones it had.
    const { user_agent: _ua, ...page } = input.context;
    const hasPage = Object.values(page).some(Boolean);
    const attributes = {
      ...(hasPage ? { last_context: { ...input.context, seen_at: new Date().toISOString() } } : {}),
      ...(claim && !verified ? { unverified_claim: { id: claim.id, email: claim.email ?? null, name: claim.name ?? null } } : {}),
    };
    await tws
      .updateTable('contacts')
      .set({ attributes: sql`attributes || ${JSON.stringify(attributes)}::jsonb` as never, last_seen_at: new Date() })
      .where('id', '=', contactId)
      .execute();

    // The widget keeps the token; we keep only its hash. A session that changed contact gets a new one.
    let token = input.visitorToken;
    if (!current || current.contactId !== contactId || current.inboxId !== inbox.id) {
      token = newToken('vt_');
      await tws.insertInto('contact_identities', { contact_id: contactId, kind: 'visitor', value: hashToken(token), inbox_id: inbox.id, verified: false }).execute();
    }
    const contact = await tws.selectFrom('contacts').select(['id', 'name', 'email', 'attributes']).where('id', '=', contactId).executeTakeFirstOrThrow();
    const left = (contact.attributes as { left_email?: { email?: unknown } }).left_email;
    const conversation = await tws
      .selectFrom('conversations')
      .select(['id', 'status', 'last_seq'])
      .where('contact_id', '=', contactId)
      .where('inbox_id', '=', inbox.id)
      // A merged conversation lives on in the one it was merged into.
      .where('merged_into_id', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return {
      visitor_token: token!,
      visitor: { contact_id: contact.id, name: contact.name, email: verified ? contact.email : null, verified, left_email: typeof left?.email === 'string' ? left.email : null },
      conversation: conversation ?? null,
    };
  });
  // Read after the transaction: the embedded database has one connection, which it holds.
  const agents = await ws
    .selectFrom('inbox_members')
    .innerJoin('users as u', 'u.id', 'inbox_members.user_id')
    .select(['u.name', 'u.avatar_url'])
    .where('inbox_members.inbox_id', '=', inbox.id)
    .orderBy('u.name')
    .limit(5)
    .execute();
  return { ...session, inbox: { name: inbox.name, greeting: inbox.greeting, agents, reply_time: await replyTime(ctx, inbox), availability: availability(await effectiveSchedule(ctx.db, inbox.account_id, { inboxId: inbox.id }), new Date()) } };
}

/** Whether the team is in now, and if not when it is back (the widget says it in the visitor's language and time). */
export function availability(schedule: Schedule | null, now: Date) {
  const a = availabilityAt(schedule, now);
  const back = a.next_open_at && schedule ? `Back ${describeOpening(a.next_open_at, now, schedule.time_zone)} (${schedule.time_zone} time)` : 'We will reply as soon as we are back';
  return {
    open: a.open,
    next_open_at: a.next_open_at?.toISOString() ?? null,
    time_zone: schedule?.time_zone ?? null,
    text: a.open ? null : `We're away. ${back}.`,
  };
}

/** "We typically reply in …", from the median first response of the last 30 days in this inbox. */
async function replyTime(ctx: AppContext, inbox: WidgetInbox): Promise<{ typical_minutes: number | null; text: string }> {
  const row = await scoped(ctx.db, inbox.account_id)
    .selectFrom('conversations')
    .select(sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)))`.as('seconds'))
    .where('inbox_id', '=', inbox.id)
    .where('first_response_at', 'is not', null)
    .where('created_at', '>', new Date(Date.now() - 30 * 86_400_000))
    .executeTakeFirst();
  const seconds = row?.seconds === null || row?.seconds === undefined ? null : Number(row.seconds);
  if (seconds === null) return { typical_minutes: null, text: 'We will reply as soon as we can' };
  const minutes = Math.max(1, Math.round(seconds / 60));
  const text = minutes <= 5 ? 'We typically reply in a few minutes' : minutes <= 60 ? 'We typically reply in under an hour' : minutes <= 24 * 60 ? 'We typically reply within a few hours' : 'We typically reply within a day';
  return { typical_minutes: minutes, text };
}
