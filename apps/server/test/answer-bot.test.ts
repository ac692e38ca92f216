/**
 * The answer bot through the widget, the reactions dispatcher and routing: it answers an
 * answerable question with a quoted passage and a citation, holds the conversation from routing
 * while it does, thanks and resolves on "yes", hands over (and routing assigns) on "no", on request
 * and below its threshold, never quotes drafts, internal articles or another workspace's, answers
 * each customer message once even with two dispatchers, and phrases answers through a model when
 * one is configured — falling back to the quote when the model fails.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runReactions } from '../src/core/reactions.js';
import { postMessage } from '../src/features/conversations/commands/post-message.js';
import { scoped } from '../src/core/db/tenant.js';
import { REACTORS } from '../src/features/reactors.js';
import { answerMessage } from '../src/features/answer-bot/answer-bot.reactor.js';
import { startAnswerBotWorker } from '../src/features/answer-bot/answer-bot.jobs.js';
import { startRoutingSweeper, type RoutingSweeper } from '../src/features/routing/routing.sweeper.js';
import { QUICK_REPLIES } from '../src/features/answer-bot/replies.js';
import { ANSWER_THRESHOLD } from '../src/features/kb/retrieval.js';
import { widgetArticleLimits } from '../src/features/answer-bot/widget-articles.routes.js';
import { llmLimits } from '../src/features/ai/llm-client.js';
import { drainReactions, json, makeMember, makeWorkspace, sessionFor, startTestApp, type Person, type TestApp, until } from './helpers.js';
import { startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';
import { multipart, png } from './files.js';

type BotMessage = { id: string; seq: number; direction: string; kind: string; private: boolean; content: string; status: string; bot: { name: string; quick_replies: string[]; citation: { article_id: string; title: string; url: string } | null } | null };
type Conversation = { id: string; status: string; assignee: { id: string; name: string } | null };

describe('answer bot', () => {
  let t: TestApp;
  let fake: FakeOpenAi;
  let sweeper: RoutingSweeper;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Person;
  let inboxId: string;
  let widgetKey: string;
  let otherAccountId: string;
  const articles: Record<string, string> = {};
  let visitors = 0;

  const call = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const ws = () => scoped(t.ctx.db, accountId);

  async function article(account: string, title: string, body: string, opts: { status?: 'draft' | 'published'; visibility?: 'public' | 'internal'; locale?: string } = {}) {
    const a = await scoped(t.ctx.db, account).insertInto('kb_articles', { visibility: opts.visibility ?? 'public' }).returning('id').executeTakeFirstOrThrow();
    await scoped(t.ctx.db, account)
      .insertInto('kb_article_translations', { article_id: a.id, locale: opts.locale ?? 'en', title, slug: title.toLowerCase().replace(/[^a-z0-9]+/g, '-'), body, status: opts.status ?? 'published' })
      .execute();
    return a.id;
  }

  /** A visitor opens the chat; answers how they write and read. */
  async function visitor(language = 'en-GB') {
    const remoteAddress = `198.51.100.${++visitors}`;
    const session = json<{ visitor_token: string }>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', remoteAddress, payload: { widget_key: widgetKey, context: { language } } }));
    const headers = { 'x-visitor-token': session.visitor_token };
    let conversationId = '';
    return {
      headers,
      remoteAddress,
      async writes(content: string) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', remoteAddress, headers, payload: { content, client_message_id: randomUUID() } });
        expect(res.statusCode, res.body).toBe(201);
        conversationId ||= (await ws().selectFrom('messages').select('conversation_id').where('id', '=', json<{ id: string }>(res).id).executeTakeFirstOrThrow()).conversation_id;
        await drainReactions(t, REACTORS);
        return conversationId;
      },
      /** What the visitor sees in the chat. */
      async sees() {
        return json<{ data: BotMessage[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/widget/messages', remoteAddress, headers })).data;
      },
    };
  }
  const thread = async (id: string) => json<{ data: BotMessage[] }>(await call('GET', `/api/v1/conversations/${id}/messages`)).data;
  const botMessages = async (id: string) => (await thread(id)).filter((m) => m.bot);
  const conversation = async (id: string) => json<Conversation>(await call('GET', `/api/v1/conversations/${id}`));
  const setBot = async (body: Record<string, unknown>) => {
    const res = await call('PUT', `/api/v1/inboxes/${inboxId}/answer-bot`, body);
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ aiAllowPrivateHosts: ['127.0.0.1'] });
    await t.ctx.jobs.start();
    await startAnswerBotWorker(t.ctx);
    // As the server runs it: a conversation the bot hands over from its worker is routed by it.
    sweeper = startRoutingSweeper(t.ctx, t.app.log);
    fake = await startFakeOpenAi();
    const w = await makeWorkspace(t, 'Northwind Bikes');
    accountId = w.accountId;
    admin = await sessionFor(t, w.owner.id, accountId);
    agent = await makeMember(t, accountId, 'agent', 'ana@bikes.example');
    const inbox = await call('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Website', member_ids: [agent.id] });
    expect(inbox.statusCode, inbox.body).toBe(201);
    ({ id: inboxId, widget_key: widgetKey } = json<{ id: string; widget_key: string }>(inbox));
    // Ana is online and the inbox routes round robin: anything routing may take, it gives her.
    await ws().updateTable('memberships').set({ last_active_at: sql<Date>`now()`, idle: false }).where('user_id', '=', agent.id).execute();
    expect((await call('PUT', '/api/v1/me/presence', { status: 'online' }, await sessionFor(t, agent.id, accountId))).statusCode).toBe(200);
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/routing`, { mode: 'round_robin' })).statusCode).toBe(200);
    expect((await call('PUT', `/api/v1/users/${agent.id}/routing`, { capacity: { chat: 100 } })).statusCode).toBe(200);

    articles.reset = await article(accountId, 'Resetting the bike lock', 'To reset the combination lock, hold the reset button for five seconds until the light blinks green. Then set your new combination.');
    articles.xss = await article(accountId, 'Warranty <img src=x onerror=alert(1)>', 'Our warranty covers the frame for ten years. <script>alert(1)</script> [Claim it](javascript:alert(1)) or read [the terms](https://northwind.example/terms).');
    articles.draft = await article(accountId, 'Secret discount codes', 'The discount code staffonly gives fifty percent off every bicycle.', { status: 'draft' });
    articles.internal = await article(accountId, 'Refund override procedure', 'Agents can override refunds with the supervisor password tangerine.', { visibility: 'internal' });
    otherAccountId = (await makeWorkspace(t, 'Other shop')).accountId;
    articles.other = await article(otherAccountId, 'Teleporter calibration', 'Calibrate the teleporter by turning the quantum dial three times.');
  }, 180_000);
  afterAll(async () => {
    sweeper?.stop();
    await fake?.close();
    await t?.close();
  });
  beforeEach(async () => {
    await setBot({ enabled: true, threshold: 0.01, bot_name: 'Northwind helper', handover_message: '', generative: false });
    llmLimits.timeoutMs = 20_000;
  });

  it('needs an admin for its settings, is off by default and refuses a threshold outside 0…1', async () => {
    const fresh = json<{ id: string }>(await call('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Second site' }));
    expect(json(await call('GET', `/api/v1/inboxes/${fresh.id}/answer-bot`))).toMatchObject({ enabled: false, threshold: ANSWER_THRESHOLD });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/inboxes/${inboxId}/answer-bot` })).statusCode).toBe(401);
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/answer-bot`, { enabled: false }, await sessionFor(t, agent.id, accountId))).statusCode).toBe(403);
    for (const bad of [{ threshold: 1.5 }, { threshold: -0.1 }, { bot_name: '' }, { bot_name: '   ' }, { enabled: 'yes' }, { account_id: otherAccountId }]) {
      const res = await call('PUT', `/api/v1/inboxes/${inboxId}/answer-bot`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    const otherAdmin = await sessionFor(t, (await makeMember(t, otherAccountId, 'admin')).id, otherAccountId);
    expect((await call('GET', `/api/v1/inboxes/${inboxId}/answer-bot`, undefined, otherAdmin)).statusCode).toBe(404);
    expect((await call('PUT', `/api/v1/inboxes/${inboxId}/answer-bot`, { enabled: false }, otherAdmin)).statusCode).toBe(404);
  });

  it('answers an answerable question with the passage and a citation, and routing waits while it does', async () => {
    const v = await visitor();
    const id = await v.writes('How do I reset my bike lock?');
    const [answer] = await botMessages(id);
    expect(answer.direction).toBe('outgoing');
    expect(answer.private).toBe(false);
    expect(answer.content).toContain('hold the reset button for five seconds');
    expect(answer.content).toContain('Did that answer your question?');
    expect(answer.bot).toMatchObject({ name: 'Northwind helper', quick_replies: [QUICK_REPLIES.yes, QUICK_REPLIES.no] });
    expect(answer.bot!.citation).toMatchObject({ article_id: articles.reset, title: 'Resetting the bike lock' });
    expect(answer.bot!.citation!.url).toMatch(new RegExp(`^http://localhost:3000/help/northwind-bikes/en/articles/${articles.reset}-resetting-the-bike-lock$`));
    expect(answer.content).toContain(answer.bot!.citation!.url);
    // The visitor sees it, with its buttons.
    const seen = (await v.sees()).find((m) => m.id === answer.id);
    expect(seen?.bot?.quick_replies).toEqual([QUICK_REPLIES.yes, QUICK_REPLIES.no]);
    // Ana is online and free, but the bot holds it.
    expect((await conversation(id)).assignee).toBeNull();
    expect((await ws().selectFrom('kb_searches').select(['query', 'source']).where('source', '=', 'bot').execute()).map((s) => s.query)).toContain('how do i reset my bike lock');
  });

  it('thanks, counts a deflection and resolves on "Yes, thanks"', async () => {
    const v = await visitor();
    const id = await v.writes('how to reset the lock combination?');
    const before = await ws().selectFrom('kb_articles').select('deflection_count').where('id', '=', articles.reset).executeTakeFirstOrThrow();
    await v.writes(QUICK_REPLIES.yes);
    const bot = await botMessages(id);
    expect(bot.at(-1)!.content).toMatch(/Glad that helped/);
    const c = await conversation(id);
    expect(c.status).toBe('resolved');
    expect(c.assignee).toBeNull();
    const after = await ws().selectFrom('kb_articles').select('deflection_count').where('id', '=', articles.reset).executeTakeFirstOrThrow();
    expect(after.deflection_count).toBe(before.deflection_count + 1);
    const learnt = await ws().selectFrom('kb_learned_answers').select(['helped']).where('article_id', '=', articles.reset).where('query', '=', 'how to reset the lock combination').executeTakeFirstOrThrow();
    expect(learnt.helped).toBe(1);
  });

  it('hands over on "No" with the whole exchange in the thread, and routing then assigns it', async () => {
    const v = await visitor();
    const id = await v.writes('reset lock');
    expect((await conversation(id)).assignee).toBeNull();
    await v.writes('no');
    const messages = await thread(id);
    const texts = messages.map((m) => m.content);
    expect(texts).toContain('reset lock');
    expect(texts).toContain('no');
    expect(messages.filter((m) => m.bot).at(-1)!.content).toMatch(/I'll get a person/);
    expect(messages.some((m) => m.kind === 'system' && /handed the conversation to the team: the customer said the answer did not help/.test(m.content))).toBe(true);
    expect((await conversation(id)).assignee?.id).toBe(agent.id);
    const learnt = await ws().selectFrom('kb_learned_answers').select(['not_helped']).where('article_id', '=', articles.reset).where('query', '=', 'reset lock').executeTakeFirstOrThrow();
    expect(learnt.not_helped).toBe(1);
    // Handed over for good: the bot stays quiet from now on.
    await v.writes('how do I reset the lock again?');
    expect((await botMessages(id)).length).toBe(2);
  });

  it('hands over at once when the customer asks for a person, in the handover words the admin chose', async () => {
    await setBot({ handover_message: 'One moment, a colleague from Northwind will take over.' });
    const v = await visitor();
    const id = await v.writes('I want to talk to a human');
    const bot = await botMessages(id);
    expect(bot).toHaveLength(1);
    expect(bot[0].content).toBe('One moment, a colleague from Northwind will take over.');
    expect((await conversation(id)).assignee?.id).toBe(agent.id);
  });

  it('below its threshold it says it will get a person and never guesses', async () => {
    await setBot({ threshold: 1 });
    const v = await visitor();
    const id = await v.writes('How do I reset my bike lock?');
    const bot = await botMessages(id);
    expect(bot).toHaveLength(1);
    expect(bot[0].content).toMatch(/not sure.*won't guess.*get a person/s);
    expect(bot[0].content).not.toContain('reset button');
    expect(bot[0].bot!.citation).toBeNull();
    expect((await conversation(id)).assignee?.id).toBe(agent.id);
  });

  it('speaks German to a German visitor, and reads the German buttons', async () => {
    const v = await visitor('de-DE');
    const id = await v.writes('reset lock');
    const [answer] = await botMessages(id);
    expect(answer.content).toMatch(/Aus unserem Hilfe-Center: “Resetting the bike lock” http\S+\n\nHat das Ihre Frage beantwortet\?$/);
    expect(answer.bot!.quick_replies).toEqual(['Ja, danke', 'Nein, ich brauche einen Menschen']);
    await v.writes('Nein, ich brauche einen Menschen');
    expect((await botMessages(id)).at(-1)!.content).toBe('Ich hole jemanden aus dem Team dazu. Sie antworten Ihnen hier in Kürze.');
    expect((await conversation(id)).assignee?.id).toBe(agent.id);
  });

  it('hands a file without words straight to a person, without claiming to be unsure', async () => {
    const v = await visitor();
    const file = multipart('receipt.png', png());
    const upload = await t.app.inject({ method: 'POST', url: '/api/v1/widget/attachments', remoteAddress: v.remoteAddress, headers: { ...v.headers, ...file.headers }, payload: file.payload });
    expect(upload.statusCode, upload.body).toBe(201);
    const sent = await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', remoteAddress: v.remoteAddress, headers: v.headers, payload: { content: '', client_message_id: randomUUID(), attachment_ids: [json<{ id: string }>(upload).id] } });
    expect(sent.statusCode, sent.body).toBe(201);
    await drainReactions(t, REACTORS);
    const id = (await ws().selectFrom('messages').select('conversation_id').where('id', '=', json<{ id: string }>(sent).id).executeTakeFirstOrThrow()).conversation_id;
    const [said] = await botMessages(id);
    expect(said.content).toBe("I'll get a person from the team to help you. They will reply here shortly.");
    expect((await thread(id)).some((m) => /sent something other than text/.test(m.content))).toBe(true);
  });

  it('never quotes drafts, internal articles or another workspace’s articles', async () => {
    for (const question of ['discount code staffonly', 'supervisor password to override refunds', 'teleporter quantum dial calibration']) {
      const v = await visitor();
      const id = await v.writes(question);
      const [only, ...rest] = await botMessages(id);
      expect(rest).toHaveLength(0);
      expect(only.bot!.citation, question).toBeNull();
      expect(only.content).not.toMatch(/staffonly|tangerine|quantum/);
    }
  });

  it('keeps article markup inert: the answer is plain text and the widget’s article HTML is sanitised', async () => {
    const v = await visitor();
    const id = await v.writes('frame warranty?');
    const [answer] = await botMessages(id);
    expect(answer.bot!.citation!.article_id).toBe(articles.xss);
    // Plain text that the widget and the app show as text (the e2e test checks nothing runs): the
    // passage's own words, no HTML made from them (a link's target is not turned into markup).
    expect(answer.content).toContain('Our warranty covers the frame for ten years.');
    expect(answer.content).not.toMatch(/<a |<p>|&lt;/);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/widget/articles/${articles.xss}`, remoteAddress: v.remoteAddress, headers: v.headers });
    expect(res.statusCode, res.body).toBe(200);
    const { html, title } = json<{ html: string; title: string }>(res);
    expect(title).toBe('Warranty <img src=x onerror=alert(1)>');
    // No script element, no event handler attribute, no javascript: link (as text, escaped, they are harmless).
    expect(html).not.toMatch(/<script|<[^>]+\son\w+=|href="javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('href="https://northwind.example/terms"');
    expect(html).toMatch(/<a [^>]*target="_blank" rel="noopener noreferrer nofollow"/);
  });

  it('answers each customer message exactly once, even with two dispatchers at once', async () => {
    const v = await visitor();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget/messages', remoteAddress: v.remoteAddress, headers: v.headers, payload: { content: 'the lock reset button?', client_message_id: randomUUID() } });
    const messageId = json<{ id: string }>(res).id;
    const log = { error: () => {} };
    await Promise.all([runReactions(t.ctx, REACTORS, log), runReactions(t.ctx, REACTORS, log), runReactions(t.ctx, REACTORS, log)]);
    await drainReactions(t, REACTORS);
    const id = (await ws().selectFrom('messages').select('conversation_id').where('id', '=', messageId).executeTakeFirstOrThrow()).conversation_id;
    expect(await botMessages(id)).toHaveLength(1);
    // Reading the same message again (a replayed event) adds nothing.
    await t.ctx.db.transaction().execute((trx) => answerMessage(trx, t.ctx, accountId, inboxId, id, { id: messageId, content: 'the lock reset button?' }));
    expect(await botMessages(id)).toHaveLength(1);
  });

  it('stays out of inboxes where it is off, and steps back once a person has the conversation', async () => {
    await setBot({ enabled: false });
    const off = await visitor();
    const offId = await off.writes('How do I reset my bike lock?');
    expect(await botMessages(offId)).toHaveLength(0);
    expect((await conversation(offId)).assignee?.id).toBe(agent.id);

    await setBot({ enabled: true });
    const v = await visitor();
    const id = await v.writes('How do I reset my bike lock?');
    expect(await botMessages(id)).toHaveLength(1);
    expect((await call('PATCH', `/api/v1/conversations/${id}`, { assignee_id: agent.id })).statusCode).toBe(200);
    await v.writes('and how do I set the new combination?');
    expect(await botMessages(id)).toHaveLength(1);
  });

  it('answers on channels without buttons through their normal delivery (a pending reply with its send queued), and reads a typed "yes"', async () => {
    const a = scoped(t.ctx.db, accountId);
    const apiInbox = await a.insertInto('inboxes', { name: 'Shop app', channel: 'api' }).returning('id').executeTakeFirstOrThrow();
    const bot = await call('PUT', `/api/v1/inboxes/${apiInbox.id}/answer-bot`, { enabled: true, threshold: 0.01 });
    expect(bot.statusCode, bot.body).toBe(200);
    const contact = await a.insertInto('contacts', { name: 'App customer' }).returning('id').executeTakeFirstOrThrow();
    const { id } = await a.insertInto('conversations', { inbox_id: apiInbox.id, contact_id: contact.id, subject: 'Lock' }).returning('id').executeTakeFirstOrThrow();
    const customerWrites = async (content: string) => {
      await postMessage(t.ctx, accountId, { conversationId: id, content, author: { type: 'contact', id: contact.id } });
      await drainReactions(t, REACTORS);
    };
    await customerWrites('How do I reset my bike lock?');
    const [answer] = await botMessages(id);
    expect(answer.status).toBe('pending');
    expect(answer.content).toContain('Did that answer your question?');
    const job = await sql<{ name: string }>`select name from rapport_jobs.job where id = ${answer.id}::uuid`.execute(t.ctx.db);
    expect(job.rows.map((r) => r.name)).toEqual(['api.deliver']);
    await customerWrites('Yes, thank you');
    expect((await botMessages(id)).at(-1)!.content).toMatch(/Glad that helped/);
    expect((await conversation(id)).status).toBe('resolved');
  });

  describe('with a model configured', () => {
    beforeAll(async () => {
      const res = await call('PUT', '/api/v1/ai/settings', { enabled: true, base_url: fake.baseUrl, model: 'test-model', api_key: 'sk-test-secret' });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toEqual({ enabled: true, base_url: fake.baseUrl, model: 'test-model', api_key_set: true });
    });
    afterAll(async () => {
      await call('PUT', '/api/v1/ai/settings', { enabled: false });
    });

    it('phrases the answer from the passages only, and still cites the article', async () => {
      await setBot({ generative: true });
      fake.answer({ content: 'Press and hold the reset button for five seconds; when the light blinks green, choose a new combination.' });
      const v = await visitor();
      const id = await v.writes('how do I reset the lock?');
      const answer = await until('the phrased answer', async () => (await botMessages(id))[0]);
      expect(answer.content).toMatch(/^Press and hold the reset button/);
      expect(answer.bot!.citation!.article_id).toBe(articles.reset);
      const sent = fake.received.at(-1)!;
      expect(sent.authorization).toBe('Bearer sk-test-secret');
      expect(sent.body.model).toBe('test-model');
      expect(sent.body.messages[0].content).toMatch(/ONLY from the help center passages/);
      expect(sent.body.messages[1].content).toContain('hold the reset button for five seconds');
      expect(sent.body.messages[1].content).toContain('how do I reset the lock?');
      expect((await conversation(id)).assignee).toBeNull();
    });

    it('hands over when the model says the passages do not answer it', async () => {
      await setBot({ generative: true });
      fake.answer({ content: 'I_DONT_KNOW' });
      const v = await visitor();
      const id = await v.writes('reset the lock button light');
      const said = await until('the handover', async () => (await botMessages(id))[0]);
      expect(said.content).toMatch(/get a person/);
      await drainReactions(t, REACTORS);
      expect((await until('routing to assign it', async () => (await conversation(id)).assignee))?.id).toBe(agent.id);
    });

    it('falls back to the quoted passage when the model fails or does not answer in time', async () => {
      await setBot({ generative: true });
      for (const answer of [{ status: 500, body: '{"error":"internal detail sk-upstream-secret"}' }, { hang: true as const }]) {
        llmLimits.timeoutMs = 300;
        fake.answer(answer);
        const v = await visitor();
        const id = await v.writes('reset the bike lock');
        const reply = await until('the fallback answer', async () => (await botMessages(id))[0]);
        expect(reply.content).toContain('hold the reset button for five seconds');
        expect(reply.content).not.toContain('sk-upstream-secret');
      }
    });

    it('drafts replies and summarises for agents who may see the conversation, never echoing an upstream error', async () => {
      const v = await visitor();
      const id = await v.writes('I want to talk to a human about my invoice');
      const agentSession = await sessionFor(t, agent.id, accountId);
      fake.answer({ content: 'Hi! I will check your invoice right away.' });
      const draft = await call('POST', `/api/v1/conversations/${id}/ai/draft`, undefined, agentSession);
      expect(draft.statusCode, draft.body).toBe(200);
      expect(json(draft)).toEqual({ text: 'Hi! I will check your invoice right away.' });
      expect(fake.received.at(-1)!.body.messages[1].content).toContain('Customer: I want to talk to a human about my invoice');
      fake.answer({ content: '- Wants help with an invoice\n- Asked for a person' });
      expect(json(await call('POST', `/api/v1/conversations/${id}/ai/summary`, undefined, agentSession))).toEqual({ text: '- Wants help with an invoice\n- Asked for a person' });
      fake.answer({ status: 401, body: '{"error":{"message":"Incorrect API key sk-upstream-secret"}}' });
      const failed = await call('POST', `/api/v1/conversations/${id}/ai/draft`, undefined, agentSession);
      expect(failed.statusCode).toBe(502);
      expect(json<{ error: { code: string; message: string } }>(failed).error).toEqual({ code: 'ai_unavailable', message: 'The model server refused the API key (HTTP 401).' });
      expect(failed.body).not.toContain('sk-upstream-secret');
      // Another workspace's admin cannot have it summarised.
      const otherAdmin = await sessionFor(t, (await makeMember(t, otherAccountId, 'admin')).id, otherAccountId);
      expect((await call('POST', `/api/v1/conversations/${id}/ai/summary`, undefined, otherAdmin)).statusCode).toBe(404);
    });
  });

  it('refuses model endpoints at private, loopback or link-local addresses that are not allow-listed, naming the field', async () => {
    expect(json(await call('PUT', '/api/v1/ai/settings', { enabled: false, base_url: '', model: '', api_key: '' }))).toEqual({ enabled: false, base_url: '', model: '', api_key_set: false });
    for (const base_url of ['https://[::1]/v1', 'https://169.254.169.254/v1', 'https://10.0.0.8/v1', 'https://0xa000008/v1', 'http://api.example.com/v1', 'ftp://models.example/v1', 'https://user:pw@api.example.com/v1']) {
      const res = await call('PUT', '/api/v1/ai/settings', { enabled: true, base_url, model: 'm' });
      expect(res.statusCode, base_url).toBe(422);
      const error = json<{ error: { code: string; details: Array<{ field: string }> } }>(res).error;
      expect(error.code).toBe('invalid_ai_settings');
      expect(error.details[0].field).toBe('base_url');
    }
    expect((await call('PUT', '/api/v1/ai/settings', { enabled: true, model: 'm' })).statusCode).toBe(422);
    expect((await call('PUT', '/api/v1/ai/settings', { enabled: true, base_url: fake.baseUrl })).statusCode).toBe(422);
    expect((await call('PUT', '/api/v1/ai/settings', { enabled: true, base_url: fake.baseUrl, model: 'm', api_key: 'k', account_id: otherAccountId })).statusCode).toBe(400);
    // Nothing was kept, and the key is never shown.
    const shown = await call('GET', '/api/v1/ai/settings');
    expect(json(shown)).toMatchObject({ enabled: false });
    expect(shown.body).not.toMatch(/sk-|api_key"/);
  });

  describe('self-service in the widget', () => {
    it('needs the visitor token, and suggests only published public articles of the widget’s workspace', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/widget/articles?q=reset%20lock' })).statusCode).toBe(401);
      const v = await visitor();
      const search = async (q: string) => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/widget/articles?q=${encodeURIComponent(q)}&locale=en-GB`, remoteAddress: v.remoteAddress, headers: v.headers });
        expect(res.statusCode, res.body).toBe(200);
        return json<{ data: Array<{ id: string; title: string; score: number }> }>(res).data;
      };
      expect((await search('reset lock')).map((a) => a.id)).toEqual([articles.reset]);
      const probe = await t.app.inject({ method: 'GET', url: '/api/v1/widget/articles?q=', remoteAddress: v.remoteAddress, headers: v.headers });
      expect(json(probe)).toEqual({ data: [], available: true });
      for (const q of ['staffonly discount', 'supervisor password tangerine', 'teleporter quantum dial']) expect(await search(q), q).toEqual([]);
      const counted = await ws().selectFrom('kb_searches').select(['query', 'without_results']).where('source', '=', 'widget').execute();
      expect(counted).toEqual(expect.arrayContaining([{ query: 'reset lock', without_results: 0 }, { query: 'teleporter quantum dial', without_results: 1 }]));
      for (const id of [articles.draft, articles.internal, articles.other, randomUUID()]) {
        expect((await t.app.inject({ method: 'GET', url: `/api/v1/widget/articles/${id}`, remoteAddress: v.remoteAddress, headers: v.headers })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'POST', url: `/api/v1/widget/articles/${id}/answered`, remoteAddress: v.remoteAddress, headers: v.headers, payload: { helped: true, question: 'q' } })).statusCode).toBe(404);
      }
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/widget/articles?q=${'x'.repeat(501)}`, remoteAddress: v.remoteAddress, headers: v.headers })).statusCode).toBe(400);
    });

    it('opens an article, and "yes" counts a deflection while "no" is learnt as unhelpful', async () => {
      const v = await visitor();
      const before = await ws().selectFrom('kb_articles').select(['deflection_count', 'view_count']).where('id', '=', articles.reset).executeTakeFirstOrThrow();
      const opened = await t.app.inject({ method: 'GET', url: `/api/v1/widget/articles/${articles.reset}?locale=en`, remoteAddress: v.remoteAddress, headers: v.headers });
      expect(json(opened)).toMatchObject({ id: articles.reset, title: 'Resetting the bike lock', url: expect.stringContaining(`/articles/${articles.reset}-`) as unknown as string });
      const yes = await t.app.inject({ method: 'POST', url: `/api/v1/widget/articles/${articles.reset}/answered`, remoteAddress: v.remoteAddress, headers: v.headers, payload: { helped: true, question: 'Lock will not open' } });
      expect(yes.statusCode, yes.body).toBe(204);
      const no = await t.app.inject({ method: 'POST', url: `/api/v1/widget/articles/${articles.reset}/answered`, remoteAddress: v.remoteAddress, headers: v.headers, payload: { helped: false, question: 'Lock is rusty' } });
      expect(no.statusCode).toBe(204);
      const after = await ws().selectFrom('kb_articles').select(['deflection_count', 'view_count']).where('id', '=', articles.reset).executeTakeFirstOrThrow();
      expect(after.deflection_count).toBe(before.deflection_count + 1);
      expect(Number(after.view_count)).toBe(Number(before.view_count) + 1);
      const learnt = await ws().selectFrom('kb_learned_answers').select(['query', 'helped', 'not_helped']).where('article_id', '=', articles.reset).where('query', 'in', ['lock will not open', 'lock is rusty']).orderBy('query').execute();
      expect(learnt).toEqual([
        { query: 'lock is rusty', helped: 0, not_helped: 1 },
        { query: 'lock will not open', helped: 1, not_helped: 0 },
      ]);
    });

    it('is rate limited per visitor with 429 and Retry-After', async () => {
      const v = await visitor();
      let last;
      for (let i = 0; i <= widgetArticleLimits.perVisitor; i++) last = await t.app.inject({ method: 'GET', url: `/api/v1/widget/articles?q=lock${i}`, remoteAddress: v.remoteAddress, headers: v.headers });
      expect(last!.statusCode).toBe(429);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      // Another visitor is not held up by it.
      const other = await visitor();
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/widget/articles?q=lock', remoteAddress: other.remoteAddress, headers: other.headers })).statusCode).toBe(200);
    });
  });

  it('without a model, drafts and summaries say AI assist is off', async () => {
    const v = await visitor();
    const id = await v.writes('hello there');
    const res = await call('POST', `/api/v1/conversations/${id}/ai/draft`);
    expect(res.statusCode).toBe(422);
    expect(json<{ error: { code: string } }>(res).error.code).toBe('ai_not_configured');
  });
});
