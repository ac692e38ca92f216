/**
 * The demo workspace a newcomer sees on the first start: an owner, two teammates, two teams,
 * two inboxes and a handful of customers with realistic conversations.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { hashPassword } from '../../core/auth/secrets.js';
import { createWorkspace } from '../accounts/commands/create-workspace.js';
import type { SecretBox } from '../../core/crypto-box.js';
import { seedKnowledgeBase } from '../kb/kb.demo.js';
import { conversationMood, MOOD_WINDOW } from '../mood/aggregate.js';
import { readMood } from '../mood/model.js';

type Line = [from: 'customer' | 'agent' | 'note', text: string, minutesAgo: number];

const customers: Array<{ name: string; email: string; phone?: string; company?: string; inbox: 'chat' | 'email'; subject: string; status: 'open' | 'pending' | 'resolved'; priority: 'low' | 'normal' | 'high' | 'urgent'; assignee?: 'owner' | 'liam' | 'sofia'; unread: number; lines: Line[] }> = [
  {
    name: 'Natalie Brooks', email: 'natalie.brooks@example.com', phone: '+44 20 7946 0321', inbox: 'chat', subject: 'Are the trail runners back in size 39?', status: 'open', priority: 'normal', unread: 1,
    lines: [
      ['customer', 'Hi! Are the Ridgeback trail runners back in stock in size 39? I had them on my wishlist.', 14],
      ['agent', 'Hi Natalie! Good news: they came in this morning, and your wishlist pair in size 39 is available.', 11],
      ['customer', 'Amazing. Can I still use my loyalty discount on them?', 3],
    ],
  },
  {
    name: 'Marcus Webb', email: 'marcus@webb-architects.example', company: 'Webb Architects', inbox: 'email', subject: 'Invoice #20931 charged twice', status: 'open', priority: 'high', assignee: 'sofia', unread: 0,
    lines: [
      ['customer', 'Hello, our card was charged twice for invoice #20931 (EUR 1,240.00). Please refund the duplicate.', 180],
      ['note', 'Checked the payment provider: two captures 4 seconds apart. Refund needs Billing approval.', 170],
      ['agent', 'Hi Marcus, you are right, the payment was captured twice. I have started the refund; you will see it within 3-5 working days.', 160],
    ],
  },
  {
    name: 'Priya Patel', email: 'priya.patel@example.org', phone: '+1 415 555 0142', inbox: 'chat', subject: 'Installation appointment', status: 'pending', priority: 'normal', assignee: 'liam', unread: 0,
    lines: [
      ['customer', 'Could a technician come to install the bike rack on Saturday morning?', 60 * 26],
      ['agent', 'We have a slot on Saturday between 9:00 and 11:00. Shall I book it for you?', 60 * 25],
    ],
  },
  {
    name: 'Tom Okafor', email: 'tom.okafor@example.net', inbox: 'email', subject: 'Order 55812 arrived damaged', status: 'open', priority: 'urgent', unread: 2,
    lines: [
      ['customer', 'My order 55812 arrived today and the frame is cracked. I need it for a race on Sunday.', 35],
      ['customer', 'I attached photos in my previous email. Please call me if that is faster.', 20],
    ],
  },
  {
    name: 'Elena García', email: 'elena.garcia@example.com', company: 'Ciclos García', inbox: 'email', subject: 'Wholesale price list 2027', status: 'resolved', priority: 'low', assignee: 'owner', unread: 0,
    lines: [
      ['customer', 'Could you send us the wholesale price list for next season?', 60 * 72],
      ['agent', 'Of course, Elena. The 2027 list is attached; prices hold until the end of March.', 60 * 70],
      ['customer', 'Perfect, thank you!', 60 * 69],
    ],
  },
  {
    name: 'Yuki Tanaka', email: 'yuki.tanaka@example.jp', inbox: 'chat', subject: 'Idea: a repair-kit subscription', status: 'open', priority: 'low', unread: 1,
    lines: [['customer', 'I would love a yearly subscription for tubes and brake pads. Would you consider it?', 240]],
  },
];

const DEMO_SUPPORT = 'support@northwind.example';

/** What an email from a demo customer shows (as the email channel stores it); one has an image the agent must allow. */
function demoEmail(c: (typeof customers)[number], text: string) {
  const photo = c.subject.includes('damaged') && text.includes('cracked');
  const html = photo
    ? `<p>${text}</p><p><img data-remote-src="https://images.example/photos/frame-crack.jpg" alt="Photo of the cracked frame" width="320"></p><p>Tom</p>`
    : null;
  return {
    subject: c.subject,
    from: { address: c.email, name: c.name },
    to: [{ address: DEMO_SUPPORT, name: 'Northwind Cycles' }],
    cc: [],
    html,
    html_visible: html,
    text,
    has_quoted: false,
    remote_images: photo ? 1 : 0,
    suspicious: null,
    automated: null,
    blocked_attachments: [],
  };
}

export interface DemoCredentials {
  email: string;
  password: string;
  accountId: string;
}

/** `publicUrl` is where the demo's web chat may be embedded (the sample page at /widget/demo/KEY). */
export async function seedDemo(db: Kysely<DB>, options: { box: SecretBox; publicUrl: string }): Promise<DemoCredentials> {
  const password = randomBytes(9).toString('base64url');
  const email = 'owner@example.com';
  const { accountId, userId: ownerId } = await createWorkspace(db, { name: 'Northwind Cycles', owner: { email, name: 'Ava Martin', password } });
  const teammatePassword = await hashPassword(randomBytes(16).toString('hex'));

  await db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const [liam, sofia] = await trx
      .insertInto('users')
      .values([
        { email: 'liam.chen@example.com', name: 'Liam Chen', password_hash: teammatePassword, time_zone: 'Europe/London' },
        { email: 'sofia.rossi@example.com', name: 'Sofia Rossi', password_hash: teammatePassword, time_zone: 'Europe/Rome', language: 'en' },
      ])
      .returning('id')
      .execute();
    await ws.insertInto('memberships', [{ user_id: liam.id, role: 'admin' }, { user_id: sofia.id, role: 'agent' }]).execute();
    const [support, billing] = await ws.insertInto('teams', [{ name: 'Support', description: 'First line: chat and email' }, { name: 'Billing', description: 'Invoices, refunds and payments' }]).returning('id').execute();
    await ws
      .insertInto('team_members', [
        { team_id: support.id, user_id: ownerId },
        { team_id: support.id, user_id: liam.id },
        { team_id: support.id, user_id: sofia.id },
        { team_id: billing.id, user_id: sofia.id },
      ])
      .execute();
    const [chat, mail] = await ws
      .insertInto('inboxes', [
        {
          name: 'Website chat',
          channel: 'webchat',
          widget_key: `wk_${randomBytes(18).toString('base64url')}`,
          allowed_origins: JSON.stringify([new URL(options.publicUrl).origin]),
          identity_secret: options.box.seal(randomBytes(32).toString('base64url')),
          greeting: 'Hi there! Ask us anything about your order or our bikes.',
        },
        // No mail servers yet: the settings page asks for them, and a reply says so until then.
        { name: 'Support email', channel: 'email', email_address: DEMO_SUPPORT, forward_key: `inbox-${randomBytes(12).toString('hex')}` },
      ])
      .returning('id')
      .execute();
    const people = { owner: ownerId, liam: liam.id, sofia: sofia.id };
    await ws
      .insertInto(
        'inbox_members',
        [chat.id, mail.id].flatMap((inbox_id) => Object.values(people).map((user_id) => ({ inbox_id, user_id }))),
      )
      .execute();

    for (const [index, c] of customers.entries()) {
      const firstAt = new Date(Date.now() - c.lines[0][2] * 60_000);
      const lastAt = new Date(Date.now() - c.lines[c.lines.length - 1][2] * 60_000);
      const contact = await ws
        .insertInto('contacts', { name: c.name, email: c.email, phone: c.phone ?? null, company: c.company ?? null, created_at: new Date(firstAt.getTime() - (index + 1) * 86_400_000) })
        .returning('id')
        .executeTakeFirstOrThrow();
      const conversation = await ws
        .insertInto('conversations', {
          inbox_id: c.inbox === 'chat' ? chat.id : mail.id,
          contact_id: contact.id,
          subject: c.subject,
          status: c.status,
          priority: c.priority,
          assignee_id: c.assignee ? people[c.assignee] : null,
          team_id: c.subject.includes('Invoice') ? billing.id : support.id,
          unread_count: c.unread,
          last_message_at: lastAt,
          last_seq: c.lines.length,
          waiting_since: c.lines[c.lines.length - 1][0] === 'customer' && c.status !== 'resolved' ? lastAt : null,
          first_response_at: c.lines.find((l) => l[0] === 'agent') ? new Date(Date.now() - c.lines.find((l) => l[0] === 'agent')![2] * 60_000) : null,
          resolved_at: c.status === 'resolved' ? lastAt : null,
          created_at: firstAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const agent = c.assignee ? people[c.assignee] : ownerId;
      if (c.inbox === 'email') await ws.insertInto('contact_identities', { contact_id: contact.id, kind: 'email', value: c.email, inbox_id: null, verified: false }).execute();
      // The mood a live message gets from the mood reactor, read here as the demo is written.
      const readings = c.lines.map(([from, text]) => (from === 'customer' ? readMood(text) : null));
      const newestFirst = readings.filter((r) => r !== null).reverse().slice(0, MOOD_WINDOW);
      if (newestFirst.length) {
        const mood = conversationMood(newestFirst.map((r) => ({ mood: r.mood, sentiment: r.sentiment })));
        await ws
          .updateTable('conversations')
          .set({ mood: mood.mood, sentiment: mood.sentiment, mood_trend: mood.trend, language: newestFirst[0]!.language, mood_updated_at: new Date() })
          .where('id', '=', conversation.id)
          .execute();
      }
      await ws
        .insertInto(
          'messages',
          c.lines.map(([from, text, minutesAgo], seq) => ({
            conversation_id: conversation.id,
            seq: seq + 1,
            direction: from === 'customer' ? ('incoming' as const) : ('outgoing' as const),
            private: from === 'note',
            content: text,
            mood: readings[seq]?.mood ?? null,
            sentiment: readings[seq]?.sentiment ?? null,
            language: readings[seq]?.language ?? null,
            sender_contact_id: from === 'customer' ? contact.id : null,
            sender_user_id: from === 'customer' ? null : agent,
            content_attributes: JSON.stringify(c.inbox === 'email' && from === 'customer' ? { email: demoEmail(c, text) } : {}),
            created_at: new Date(Date.now() - minutesAgo * 60_000),
          })),
        )
        .execute();
    }
  });
  await seedKnowledgeBase(db, accountId, ownerId);
  return { email, password, accountId };
}
