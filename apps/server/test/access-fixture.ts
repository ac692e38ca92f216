/** Two workspaces with people, tokens and data, and makers of fresh objects for the access test. */
import { storeUpload } from '../src/features/attachments/attachments.js';
import { postMessage } from '../src/features/conversations/commands/post-message.js';
import { png } from './files.js';
import { createHash, randomUUID } from 'node:crypto';
import { scoped } from '../src/core/db/tenant.js';
import { hashToken, newToken } from '../src/core/auth/secrets.js';
import type { Role } from '../src/core/db/schema.js';
import { PASSWORD, makeMember, makeWorkspace, sessionFor, tokenFor, uniqueEmail, type Person, type TestApp } from './helpers.js';
import type { Caller } from './access-matrix.js';

export interface Fixture {
  password: string;
  a: { accountId: string; admin: Person; agent: Person; outsider: Person; inboxId: string; widgetKey: string; contactId: string; conversationId: string; attachmentId: string; apiInboxId: string; apiConversationId: string };
  b: { accountId: string; admin: Person };
  /** Every id that belongs to workspace A: none may ever appear in an answer to another workspace. */
  idsOfA: Set<string>;
  email(): string;
  member(role: Role): Promise<Person>;
  team(): Promise<string>;
  /** A webhook of workspace A with one failed delivery. */
  webhook(): Promise<{ id: string; deliveryId: string }>;
  inbox(): Promise<string>;
  /** A saved view of workspace A, shared with the team, saved by A's admin. */
  savedView(): Promise<string>;
  /** A shared automation rule, macro and canned response of workspace A. */
  automation(): Promise<{ ruleId: string; macroId: string; cannedId: string }>;
  /** An SLA policy and a named business-hours schedule of workspace A. */
  slaPolicy(): Promise<string>;
  businessHours(): Promise<string>;
  /** A knowledge base synonym group of workspace A. */
  kbSynonym(): Promise<string>;
  /** A knowledge base category with a section, and an article in it with an English and a German translation and one revision. */
  kb(): Promise<{ categoryId: string; sectionId: string; articleId: string; revisionId: string }>;
  invitation(): Promise<{ id: string; token: string }>;
  agentOwnedToken(): Promise<string>;
  resetToken(): Promise<string>;
  /** Fresh credentials for one call (sessions are fresh so sign-out calls do not spoil the next). */
  headers(caller: Caller): Promise<Record<string, string>>;
}

export async function makeFixture(t: TestApp): Promise<Fixture> {
  const db = t.ctx.db;
  const wa = await makeWorkspace(t, 'Workspace A');
  const wb = await makeWorkspace(t, 'Workspace B');
  const admin = await makeMember(t, wa.accountId, 'admin');
  const agent = await makeMember(t, wa.accountId, 'agent');
  const outsider = await makeMember(t, wa.accountId, 'agent');
  const bAdmin = await makeMember(t, wb.accountId, 'admin');
  const a = scoped(db, wa.accountId);
  const inbox = await a.insertInto('inboxes', { name: 'Chat', channel: 'webchat', widget_key: `wk_${randomUUID()}` }).returning(['id', 'widget_key']).executeTakeFirstOrThrow();
  await a.insertInto('inbox_members', { inbox_id: inbox.id, user_id: agent.id }).execute();
  const contact = await a.insertInto('contacts', { name: 'Customer of A', email: 'customer@a.example' }).returning('id').executeTakeFirstOrThrow();
  const conversation = await a.insertInto('conversations', { inbox_id: inbox.id, contact_id: contact.id, subject: 'Help', last_seq: 1 }).returning('id').executeTakeFirstOrThrow();
  await a.insertInto('messages', { conversation_id: conversation.id, seq: 1, direction: 'incoming', content: 'Hello A', sender_contact_id: contact.id }).execute();
  // An API inbox the agent works in, with a conversation a source started.
  const apiInbox = await a
    .insertInto('inboxes', { name: 'Shop app', channel: 'api', webhook_url: 'https://hooks.a.example/rapport', channel_secrets: t.ctx.box.seal(JSON.stringify({ webhook_secret: 'whsec_fixture' })) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await a.insertInto('inbox_members', { inbox_id: apiInbox.id, user_id: agent.id }).execute();
  const apiConversation = await a.insertInto('conversations', { inbox_id: apiInbox.id, contact_id: contact.id, subject: 'From the app', last_seq: 1 }).returning('id').executeTakeFirstOrThrow();
  await a.insertInto('messages', { conversation_id: apiConversation.id, seq: 1, direction: 'incoming', content: 'Hello from the app', sender_contact_id: contact.id }).execute();
  // B has data of its own, so B's lists are not trivially empty.
  const b = scoped(db, wb.accountId);
  const bInbox = await b.insertInto('inboxes', { name: 'B chat', channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
  const bContact = await b.insertInto('contacts', { name: 'Customer of B' }).returning('id').executeTakeFirstOrThrow();
  await b.insertInto('conversations', { inbox_id: bInbox.id, contact_id: bContact.id, subject: 'B help' }).execute();

  // A file the agent sent in A's conversation.
  const file = await storeUpload(db, { accountId: wa.accountId, inboxId: inbox.id, conversationId: conversation.id, uploader: { type: 'user', id: agent.id }, fileName: 'receipt.png', bytes: png(), quotaBytes: 1e9 });
  await postMessage(t.ctx, wa.accountId, { conversationId: conversation.id, content: 'Here is the receipt', author: { type: 'user', id: agent.id }, attachmentIds: [file.id] });

  const idsOfA = new Set<string>([wa.accountId, wa.owner.id, admin.id, agent.id, outsider.id, inbox.id, contact.id, conversation.id, file.id, apiInbox.id, apiConversation.id]);
  const fixture: Fixture = {
    password: PASSWORD,
    a: { accountId: wa.accountId, admin, agent, outsider, inboxId: inbox.id, widgetKey: inbox.widget_key!, contactId: contact.id, conversationId: conversation.id, attachmentId: file.id, apiInboxId: apiInbox.id, apiConversationId: apiConversation.id },
    b: { accountId: wb.accountId, admin: bAdmin },
    idsOfA,
    email: () => uniqueEmail('new'),
    async member(role) {
      const p = await makeMember(t, wa.accountId, role);
      idsOfA.add(p.id);
      return p;
    },
    async team() {
      const row = await a.insertInto('teams', { name: `Team ${randomUUID().slice(0, 8)}` }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async webhook() {
      const hook = await a.insertInto('webhooks', { url: 'https://hooks.a.example/rapport', events: ['message.created'], secret: t.ctx.box.seal('whsec_fixture') }).returning('id').executeTakeFirstOrThrow();
      const delivery = await a.insertInto('webhook_deliveries', { webhook_id: hook.id, event: 'message.created', event_id: null, body: '{}', status: 'failed' }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(hook.id);
      idsOfA.add(delivery.id);
      return { id: hook.id, deliveryId: delivery.id };
    },
    async savedView() {
      const row = await a.insertInto('saved_views', { user_id: admin.id, name: 'Open chats', filters: JSON.stringify({ status: 'open' }), shared: true }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async slaPolicy() {
      const row = await a.insertInto('sla_policies', { name: `Policy ${randomUUID().slice(0, 8)}`, first_response_minutes: 60 }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async kbSynonym() {
      const row = await a.insertInto('kb_synonyms', { terms: ['refund', 'money back'] }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async businessHours() {
      const row = await a.insertInto('business_hours_schedules', { name: `Hours ${randomUUID().slice(0, 8)}`, schedule: JSON.stringify({ time_zone: 'UTC', days: { mon: [['09:00', '17:00']] } }) }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async kb() {
      const category = await a.insertInto('kb_categories', { names: JSON.stringify({ en: 'Account' }), slug: 'account' }).returning('id').executeTakeFirstOrThrow();
      const section = await a.insertInto('kb_sections', { category_id: category.id, names: JSON.stringify({ en: 'Signing in' }), slug: 'signing-in' }).returning('id').executeTakeFirstOrThrow();
      const article = await a.insertInto('kb_articles', { section_id: section.id }).returning('id').executeTakeFirstOrThrow();
      await a
        .insertInto('kb_article_translations', [
          { article_id: article.id, locale: 'en', title: 'Reset your password', slug: 'reset-your-password', body: 'Open Sign in.', status: 'published' },
          { article_id: article.id, locale: 'de', title: 'Passwort zurücksetzen', slug: 'passwort-zurucksetzen', body: 'Anmelden öffnen.' },
        ])
        .execute();
      const revision = await a.insertInto('kb_revisions', { article_id: article.id, locale: 'en', title: 'Reset your password', body: 'First version.', status: 'published' }).returning('id').executeTakeFirstOrThrow();
      for (const id of [category.id, section.id, article.id, revision.id]) idsOfA.add(id);
      return { categoryId: category.id, sectionId: section.id, articleId: article.id, revisionId: revision.id };
    },
    async inbox() {
      const row = await a.insertInto('inboxes', { name: `Inbox ${randomUUID().slice(0, 8)}`, channel: 'webchat' }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async automation() {
      const rule = await a.insertInto('automation_rules', { name: 'Tag refunds', trigger: '{"type":"message_received"}', actions: '[{"type":"add_tags","tags":["refund"]}]' }).returning('id').executeTakeFirstOrThrow();
      const macro = await a.insertInto('macros', { name: 'VIP', actions: '[{"type":"add_tags","tags":["vip"]}]', owner_user_id: null }).returning('id').executeTakeFirstOrThrow();
      const canned = await a.insertInto('canned_responses', { shortcut: `s${randomUUID().slice(0, 8)}`, title: 'Hello', body: 'Hello {{contact.first_name}}', owner_user_id: null }).returning('id').executeTakeFirstOrThrow();
      for (const id of [rule.id, macro.id, canned.id]) idsOfA.add(id);
      return { ruleId: rule.id, macroId: macro.id, cannedId: canned.id };
    },
    async invitation() {
      const token = newToken();
      const row = await a
        .insertInto('invitations', { email: uniqueEmail('invited'), role: 'agent', token_hash: hashToken(token), invited_by: admin.id, expires_at: new Date(Date.now() + 86_400_000) })
        .returning('id')
        .executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return { id: row.id, token };
    },
    async agentOwnedToken() {
      const token = newToken('rpt_');
      const row = await a.insertInto('api_tokens', { user_id: agent.id, name: 'agent token', role: 'agent', token_hash: hashToken(token), prefix: token.slice(0, 10) }).returning('id').executeTakeFirstOrThrow();
      idsOfA.add(row.id);
      return row.id;
    },
    async resetToken() {
      const p = await fixture.member('agent');
      const token = newToken();
      await db.insertInto('password_resets').values({ user_id: p.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 3_600_000) }).execute();
      return token;
    },
    async headers(caller) {
      switch (caller) {
        case 'anonymous':
          return {};
        case 'otherAdmin':
          return sessionFor(t, bAdmin.id, wb.accountId);
        case 'outsider':
          return sessionFor(t, outsider.id, wa.accountId);
        case 'agent':
          return sessionFor(t, agent.id, wa.accountId);
        case 'agentToken':
          return tokenFor(t, agent.id, wa.accountId, 'agent');
        case 'adminToken':
          return tokenFor(t, admin.id, wa.accountId, 'admin');
        case 'admin':
          return sessionFor(t, admin.id, wa.accountId);
      }
    },
  };
  return fixture;
}

/** A digest of everything workspace A owns, to prove a refused call changed nothing. */
export async function snapshotOfA(t: TestApp, accountId: string): Promise<Record<string, string>> {
  const db = t.ctx.db;
  const digest = (rows: unknown[]) => createHash('sha1').update(JSON.stringify(rows.map((r) => JSON.stringify(r)).sort())).digest('hex').slice(0, 12);
  const parts: Record<string, string> = { accounts: digest(await db.selectFrom('accounts').selectAll().where('id', '=', accountId).execute()) };
  for (const table of ['memberships', 'teams', 'team_members', 'invitations', 'contacts', 'inboxes', 'inbox_members', 'contact_identities', 'conversations', 'messages'] as const) {
    parts[table] = digest(await scoped(db, accountId).selectFrom(table).selectAll().execute());
  }
  // Tokens change last_used_at when used; everything else about them must stay.
  parts.api_tokens = digest(await scoped(db, accountId).selectFrom('api_tokens').select(['id', 'name', 'role', 'revoked_at']).execute());
  parts.users = digest(
    await db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'password_hash', 'totp_secret'])
      .where('id', 'in', (await scoped(db, accountId).selectFrom('memberships').select('user_id').execute()).map((m) => m.user_id).concat(['00000000-0000-0000-0000-000000000000']))
      .execute(),
  );
  return parts;
}
