/** Contacts: the customers of the workspace, with their identities, what the chat learnt, and their history. */
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../core/context.js';
import { notFound } from '../../core/errors.js';
import { member } from '../../core/http/auth.js';
import { decodeCursor, page } from '../../core/http/pagination.js';
import { IdParams, Nullable, Obj, Page, PageQuery, Timestamp, Uuid, errors } from '../../core/http/schema.js';
import { findDuplicates, mergeContacts } from './commands/merge-contacts.js';
import { updateContact } from './commands/update-contact.js';
import { CONTACT_COLUMNS, presentContact } from './contacts.presenter.js';
import type { Api } from '../../core/http/types.js';
import { scoped } from '../../core/db/tenant.js';
import { Conversation } from '../conversations/conversations.schema.js';
import { presentConversation, type ConversationRow } from '../conversations/conversations.presenter.js';
import { conversations } from '../conversations/conversations.queries.js';

export const Contact = Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), company: Nullable(Type.String()), created_at: Timestamp });

const ContactDetail = Type.Composite([
  Contact,
  Type.Object({
    last_seen_at: Nullable(Timestamp),
    identities: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), verified: Type.Boolean() })),
    visitor: Nullable(
      Type.Object({
        url: Nullable(Type.String()),
        referrer: Nullable(Type.String()),
        language: Nullable(Type.String()),
        time_zone: Nullable(Type.String()),
        user_agent: Nullable(Type.String()),
        seen_at: Nullable(Type.String()),
        location: Nullable(
          Type.String({
            description:
              'Coarse location from what the browser says (its time zone\'s city and its language\'s region), e.g. "Berlin area · Germany"; no IP geolocation database is used',
          }),
        ),
      }),
    ),
    unverified_claim: Nullable(Type.Object({ id: Type.String(), email: Nullable(Type.String()), name: Nullable(Type.String()) }, { description: 'What a visitor said about themselves without a valid signature: show it as unverified' })),
    left_email: Nullable(
      Type.Object(
        { email: Type.String(), name: Nullable(Type.String()), left_at: Timestamp },
        { description: 'An email the visitor typed into the chat to be answered at while the team was away: unverified, never used to find or merge contacts' },
      ),
    ),
  }),
]);

/** The visitor details the chat recorded, for the agent's sidebar. */
function pickContext(c: Record<string, string>) {
  const get = (k: string) => (typeof c[k] === 'string' ? c[k] : null);
  return { url: get('url'), referrer: get('referrer'), language: get('language'), time_zone: get('time_zone'), user_agent: get('user_agent'), seen_at: get('seen_at'), location: coarseLocation(get('time_zone'), get('language')) };
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * Where the visitor roughly is, from the browser alone: the city its time zone is named after
 * and the region of its language tag. Both are hints (a VPN or a travelling laptop fools them),
 * which is all a chat sidebar needs; an IP database would need a download and a licence.
 */
export function coarseLocation(timeZone: string | null, language: string | null): string | null {
  const parts: string[] = [];
  const city = timeZone && /^[A-Za-z]+\/[A-Za-z_\-/]+$/.test(timeZone) && !timeZone.startsWith('Etc/') ? timeZone.split('/').pop()!.replace(/_/g, ' ') : null;
  if (city) parts.push(`${city} area`);
  const region = language ? /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(language)?.[1]?.toUpperCase() : undefined;
  if (region) {
    try {
      const name = regions.of(region);
      if (name && name !== region && name !== 'Unknown Region') parts.push(name);
    } catch {
      /* not a region code */
    }
  }
  return parts.length ? parts.join(' · ') : null;
}

const ContactPatchBody = Obj({
  name: Type.Optional(Type.String({ maxLength: 120 })),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254, description: 'An email address; null or empty clears it' }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'An international number such as +4915123456789; null or empty clears it' }))),
  company: Type.Optional(Nullable(Type.String({ maxLength: 120 }))),
});

export function contactsRoutes(app: Api, ctx: AppContext): void {
  const columns = CONTACT_COLUMNS;

  app.get('/api/v1/contacts', { config: { access: 'agent' }, schema: { tags: ['contacts'], summary: 'Contacts, newest first', querystring: PageQuery, response: { 200: Page(Contact), ...errors(400, 401, 403) } } }, async (request) => {
    const auth = member(request);
    const limit = request.query.limit ?? 50;
    const cursor = decodeCursor(request.query.cursor);
    let q = scoped(ctx.db, auth.accountId).selectFrom('contacts').select(columns).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
    if (cursor) q = q.where(({ eb, tuple, refTuple }) => eb(refTuple('created_at', 'id'), '<', tuple(cursor.createdAt, cursor.id)));
    const result = page(await q.execute(), limit);
    return { data: result.rows.map(presentContact), next_cursor: result.next_cursor };
  });

  app.get(
    '/api/v1/contacts/:id',
    {
      config: { access: 'agent' },
      schema: { tags: ['contacts'], summary: 'One contact with identities, visitor details and unverified claims', params: IdParams, response: { 200: ContactDetail, ...errors(401, 403, 404) } },
    },
    async (request) => {
      const ws = scoped(ctx.db, member(request).accountId);
      const row = await ws.selectFrom('contacts').select([...columns, 'attributes', 'last_seen_at']).where('id', '=', request.params.id).executeTakeFirst();
      if (!row) throw notFound('Contact');
      const identities = await ws.selectFrom('contact_identities').select(['kind', 'value', 'verified', 'inbox_id']).where('contact_id', '=', row.id).where('kind', '!=', 'visitor').orderBy('created_at').execute();
      const attributes = row.attributes as { last_context?: Record<string, string>; unverified_claim?: { id: string; email: string | null; name: string | null }; left_email?: { email: string; name: string | null; left_at: string } };
      return {
        ...presentContact(row),
        last_seen_at: row.last_seen_at?.toISOString() ?? null,
        identities: identities.map((i) => ({ kind: i.kind, value: i.value, verified: i.verified })),
        visitor: attributes.last_context ? pickContext(attributes.last_context) : null,
        unverified_claim: attributes.unverified_claim ?? null,
        left_email: attributes.left_email ?? null,
      };
    },
  );

  app.patch(
    '/api/v1/contacts/:id',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['contacts'],
        summary: "Correct a contact's name, email, phone or company; webhooks hear contact.updated",
        params: IdParams,
        body: ContactPatchBody,
        response: { 200: Contact, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const auth = member(request);
      await updateContact(ctx.db, auth.accountId, request.params.id, request.body);
      ctx.outbox.kick();
      return presentContact(await scoped(ctx.db, auth.accountId).selectFrom('contacts').select(columns).where('id', '=', request.params.id).executeTakeFirstOrThrow());
    },
  );

  app.get(
    '/api/v1/contacts/:id/conversations',
    {
      config: { access: 'agent' },
      schema: { tags: ['contacts'], summary: "The contact's conversations across every inbox I may see, newest first", params: IdParams, response: { 200: Page(Conversation), ...errors(401, 403, 404) } },
    },
    async (request) => {
      const auth = member(request);
      const contact = await scoped(ctx.db, auth.accountId).selectFrom('contacts').select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!contact) throw notFound('Contact');
      const rows = (await conversations(ctx.db, auth).where('conversations.contact_id', '=', contact.id).orderBy('conversations.last_message_at', 'desc').limit(100).execute()) as ConversationRow[];
      return { data: rows.map(presentConversation), next_cursor: null };
    },
  );

  app.get(
    '/api/v1/contacts/:id/duplicates',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['contacts'],
        summary: 'Other contacts that are probably the same person (the same email or phone, or the same full name), with the reasons, to merge',
        params: IdParams,
        response: { 200: Type.Object({ data: Type.Array(Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), reasons: Type.Array(Type.String()) })) }), ...errors(401, 403, 404) },
      },
    },
    async (request) => ({ data: await findDuplicates(ctx.db, member(request).accountId, request.params.id) }),
  );

  app.post(
    '/api/v1/contacts/:id/merge',
    {
      config: { access: 'agent' },
      schema: {
        tags: ['contacts'],
        summary: 'Merge another contact into this one: its conversations, messages, files and identities move here, empty fields are filled from it, and it is deleted',
        params: IdParams,
        body: Obj({ contact_id: Uuid }),
        response: { 200: Contact, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const auth = member(request);
      await mergeContacts(ctx.db, auth.accountId, request.params.id, request.body.contact_id, request);
      ctx.outbox.kick();
      const row = await scoped(ctx.db, auth.accountId).selectFrom('contacts').select(columns).where('id', '=', request.params.id).executeTakeFirstOrThrow();
      return presentContact(row);
    },
  );
}
