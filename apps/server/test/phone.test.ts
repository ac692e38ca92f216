/**
 * The phone channel (the helpline) end to end, against a local fake of Twilio Voice that signs
 * its webhooks and follows the TwiML Rapport answers: the inbox set up and its number pointed at
 * Rapport; calls that are answered, missed (a callback task) or left as a voicemail (the recording
 * kept, the transcription shown); each call one entry however often Twilio posts a step; bad
 * signatures refused with nothing stored (SECURITY 21); calls logged by hand; the caller being
 * the same contact as on the API channel; callback requests from the web chat; other workspaces
 * kept out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped } from '../src/core/db/tenant.js';
import { json, makeMember, makeWorkspace, sessionFor, startTestApp, type TestApp } from './helpers.js';
import { parseTwiml, silentMp3, startFakeTwilioVoice, type FakeTwilioVoice, type TwimlNode } from './support/fake-twilio-voice.js';

type InboxJson = { id: string; channel: string; inbound_webhook_url: string; provider_settings: Record<string, string>; secrets_set: string[]; connection: { status: string; error: string | null } };
type Conv = { id: string; channel: string; status: string; tags: string[]; assignee: unknown; contact: { id: string; name: string }; last_message_preview: string };
type Call = { sid: string | null; direction: string; status: string; duration_seconds: number | null; from: string | null; to: string | null; agent: { id: string; name: string } | null; recording: string | null; recording_error: string | null; transcription: string | null; notes: string | null; preferred_time: string | null; logged_by_hand: boolean };
type Msg = { id: string; kind: string; content: string; private: boolean; call: Call | null; attachments: Array<{ id: string; content_type: string; url: string; byte_size: number }> };
type Problem = { error: { code: string; message: string; details?: Array<{ field: string; message: string }> } };

const HELPLINE = '+4930901820';
const DESK_PHONE = '+4917612345678';

describe('Phone inbox', () => {
  let t: TestApp;
  let twilio: FakeTwilioVoice;
  let accountId: string;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let agentPerson: { id: string; name: string };
  let inbox: InboxJson;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = admin) => t.app.inject({ method, url, headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  const conversationsOf = async (inboxId = inbox.id, headers = admin) => json<{ data: Conv[] }>(await call('GET', `/api/v1/conversations?inbox_id=${inboxId}&status=all`, undefined, headers)).data;
  const messagesOf = async (id: string, headers = admin) => json<{ data: Msg[] }>(await call('GET', `/api/v1/conversations/${id}/messages`, undefined, headers)).data;
  const conversationFrom = async (number: string) => (await conversationsOf()).filter((c) => c.contact.name === number);
  const callEntries = async (conversationId: string) => (await messagesOf(conversationId)).filter((m) => m.kind === 'call');
  const verbs = (twiml: TwimlNode) => twiml.children.map((c) => c.name);
  const storedCounts = async () => {
    const ws = scoped(t.ctx.db, accountId);
    const [messages, external, attachments] = await Promise.all([
      ws.selectFrom('messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ws.selectFrom('external_messages').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ws.selectFrom('attachments').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { messages: Number(messages.n), external: Number(external.n), attachments: Number(attachments.n) };
  };

  beforeAll(async () => {
    // Twilio's requests reach the app in process, at the URL it was given (PUBLIC_URL + path, which it signs).
    twilio = await startFakeTwilioVoice({
      phoneNumber: HELPLINE,
      transport: async (url, headers, body) => {
        const u = new URL(url);
        const res = await t.app.inject({ method: 'POST', url: u.pathname + u.search, headers, payload: body });
        return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body };
      },
    });
    t = await startTestApp({ twilioApiUrl: twilio.url, webhookAllowPrivateHosts: ['127.0.0.1'] });
    const ws = await makeWorkspace(t, 'Helpline');
    accountId = ws.accountId;
    admin = await sessionFor(t, ws.owner.id, accountId);
    agentPerson = await makeMember(t, accountId, 'agent');
    agent = await sessionFor(t, agentPerson.id, accountId);
    const res = await call('POST', '/api/v1/inboxes', {
      channel: 'phone',
      name: 'Helpline',
      settings: { account_sid: twilio.accountSid, auth_token: twilio.authToken, phone_number: HELPLINE, forward_to: DESK_PHONE, ring_seconds: '15', voicemail_greeting: 'Tom & Jerry’s helpline: leave a message "after" the tone.' },
      member_ids: [ws.owner.id, agentPerson.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    inbox = json<InboxJson>(res);
  });
  afterAll(async () => {
    await t?.close();
    await twilio?.close();
  });

  it('is set up from its fields: tried first, the number pointed at Rapport, the auth token never answered', async () => {
    const channels = json<{ data: Array<{ channel: string; address_kind: string; fields: Array<{ name: string; secret: boolean; optional: boolean }> }> }>(await call('GET', '/api/v1/channels', undefined, agent)).data;
    const phone = channels.find((c) => c.channel === 'phone')!;
    expect(phone.address_kind).toBe('phone');
    expect(phone.fields.map((f) => f.name)).toEqual(['account_sid', 'auth_token', 'phone_number', 'forward_to', 'voicemail_greeting', 'ring_seconds']);
    expect(phone.fields.find((f) => f.name === 'auth_token')).toMatchObject({ secret: true, optional: false });

    const settings = { account_sid: twilio.accountSid, auth_token: twilio.authToken, phone_number: HELPLINE };
    expect(json(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'phone', settings }))).toEqual({ ok: true, error: null });
    const wrongToken = json<{ ok: boolean; error: string }>(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'phone', settings: { ...settings, auth_token: 'f'.repeat(32) } }));
    expect(wrongToken).toEqual({ ok: false, error: 'Twilio refused the Account SID and auth token; copy both again from the Twilio Console.' });
    const otherNumber = json<{ ok: boolean; error: string }>(await call('POST', '/api/v1/inboxes/channel-test', { channel: 'phone', settings: { ...settings, phone_number: '+4930111111' } }));
    expect(otherNumber.error).toMatch(/^\+4930111111 is not a number of this Twilio account/);

    const bad = await call('POST', '/api/v1/inboxes', { channel: 'phone', name: 'Typo', settings: { account_sid: 'AC123', auth_token: twilio.authToken, phone_number: '030 1234', ring_seconds: '600' } });
    expect(bad.statusCode).toBe(400);
    expect(json<Problem>(bad).error.details!.map((d) => d.field).sort()).toEqual(['settings.account_sid', 'settings.phone_number', 'settings.ring_seconds']);

    expect(inbox.inbound_webhook_url).toMatch(/^http:\/\/localhost:3000\/webhooks\/phone\/in_[\w-]{24}$/);
    expect(twilio.number).toMatchObject({ voice_url: inbox.inbound_webhook_url, status_callback: `${inbox.inbound_webhook_url}?step=status` });
    expect(inbox.connection.status).toBe('ok');
    expect(inbox.secrets_set).toEqual(['auth_token']);
    expect((await call('GET', `/api/v1/inboxes/${inbox.id}`)).body).not.toContain(twilio.authToken);
  });

  it('refuses a webhook with a missing or wrong signature, or signed for another step, with 401, and stores nothing (SECURITY 21)', async () => {
    const before = await storedCounts();
    const params = { AccountSid: twilio.accountSid, CallSid: `CA${'1'.repeat(32)}`, From: '+4915100000001', To: HELPLINE, CallStatus: 'ringing', Direction: 'inbound' };
    const url = inbox.inbound_webhook_url;
    const path = new URL(url).pathname;
    const attempts = [
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString(), path },
      { ...twilio.signed(url, params, 'f'.repeat(32)), path },
      // Signed for the status step, posted as the incoming call: the step is part of what is signed.
      { ...twilio.signed(`${url}?step=status`, params), path },
      // The body changed after signing.
      { headers: twilio.signed(url, params).headers, body: new URLSearchParams({ ...params, From: '+4915199999999' }).toString(), path },
    ];
    for (const a of attempts) {
      const res = await t.app.inject({ method: 'POST', url: a.path, headers: a.headers, payload: a.body });
      expect(res.statusCode).toBe(401);
      expect(json<Problem>(res).error.code).toBe('invalid_signature');
    }
    expect(await storedCounts()).toEqual(before);
    expect((await conversationFrom('+4915100000001')).length).toBe(0);
  });

  it('shows an answered call as one entry with its talk time, and rings the helpline phone with <Dial> first', async () => {
    const caller = twilio.call('+4915111111111');
    const dial = await caller.ring();
    expect(verbs(dial)).toEqual(['Dial']);
    expect(dial.children[0].attrs).toMatchObject({ action: `${inbox.inbound_webhook_url}?step=dial`, method: 'POST', timeout: '15' });
    expect(dial.children[0].children).toMatchObject([{ name: 'Number', text: DESK_PHONE }]);

    const [conv] = await conversationFrom('+4915111111111');
    expect((await callEntries(conv.id)).map((m) => m.call!.status)).toEqual(['ringing']);

    expect(verbs(await caller.dialed('completed', 95))).toEqual(['Hangup']);
    await caller.ended('completed', 110);
    const [entry] = await callEntries(conv.id);
    expect(entry.call).toMatchObject({ sid: caller.sid, direction: 'inbound', status: 'completed', duration_seconds: 95, from: '+4915111111111', to: HELPLINE, recording: null, logged_by_hand: false });
    // Twilio forwards to a phone number; which agent held that phone is not known to it.
    expect(entry.call!.agent).toBeNull();
    expect(entry.content).toBe('Call from +4915111111111 (1:35)');
    const now = (await conversationFrom('+4915111111111'))[0];
    expect(now).toMatchObject({ channel: 'phone', tags: [], last_message_preview: 'Call from +4915111111111 (1:35)' });
    expect((await messagesOf(conv.id)).filter((m) => m.kind === 'system')).toEqual([]);
  });

  it('turns a missed call into a callback task: open, tagged callback, unassigned, saying whom to call back', async () => {
    const caller = twilio.call('+4915122222222');
    await caller.ring();
    const voicemail = await caller.dialed('no-answer');
    expect(verbs(voicemail)).toEqual(['Say', 'Record']);
    // The caller hangs up at the greeting: the call ends without a recording.
    await caller.ended('completed', 21);

    const [conv] = await conversationFrom('+4915122222222');
    expect(conv).toMatchObject({ status: 'open', tags: ['callback'], assignee: null });
    const thread = await messagesOf(conv.id);
    expect(thread.map((m) => [m.kind, m.kind === 'call' ? m.call!.status : m.content.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, 'TIME')])).toEqual([
      ['call', 'missed'],
      ['system', 'Call back +4915122222222 (missed call at TIME)'],
    ]);
    expect(thread[0].content).toBe('Missed call from +4915122222222');
  });

  it('keeps a voicemail’s recording (fetched with the account’s credentials) and shows its transcription', async () => {
    const caller = twilio.call('+4915133333333');
    await caller.ring();
    const voicemail = await caller.dialed('busy');
    const [say, record] = voicemail.children;
    expect(say.text).toBe('Tom & Jerry’s helpline: leave a message "after" the tone.');
    expect(record.attrs).toEqual({
      maxLength: '120',
      playBeep: 'true',
      transcribe: 'true',
      transcribeCallback: `${inbox.inbound_webhook_url}?step=transcription`,
      action: `${inbox.inbound_webhook_url}?step=recorded`,
      method: 'POST',
    });
    const audio = silentMp3(60);
    expect(verbs(await caller.recorded(42, audio))).toEqual(['Say', 'Hangup']);
    await caller.transcribed('Hi, this is Ada. My router blinks red since this morning.');
    await caller.ended('completed', 70);

    expect(twilio.recordingFetches.at(-1)!.authorization).toBe(`Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64')}`);
    const [conv] = await conversationFrom('+4915133333333');
    expect(conv.tags).toEqual(['callback']);
    const [entry] = await callEntries(conv.id);
    expect(entry.call).toMatchObject({ status: 'voicemail', duration_seconds: 42, transcription: 'Hi, this is Ada. My router blinks red since this morning.' });
    expect(entry.content).toBe('Voicemail (0:42): Hi, this is Ada. My router blinks red since this morning.');
    expect(entry.attachments).toHaveLength(1);
    expect(entry.attachments[0]).toMatchObject({ id: entry.call!.recording, content_type: 'audio/mpeg', byte_size: audio.length });
    const file = await call('GET', entry.attachments[0].url, undefined, agent);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(audio)).toBe(true);
    // One callback task for the call, though it was first missed, then left a voicemail.
    expect((await messagesOf(conv.id)).filter((m) => m.kind === 'system').map((m) => m.content)).toEqual([expect.stringMatching(/^Call back \+4915133333333 \(missed call at /)]);
  });

  it('fetches a recording again when the transcription comes, if it was not ready at first', async () => {
    const caller = twilio.call('+4915177777777');
    await caller.ring();
    await caller.dialed('no-answer');
    twilio.recordingsNotReady = 1;
    await caller.recorded(12);
    const [conv] = await conversationFrom('+4915177777777');
    const [waiting] = await callEntries(conv.id);
    expect(waiting.call).toMatchObject({ status: 'voicemail', recording: null, recording_error: 'The recording could not be kept: the provider answered HTTP 404' });
    expect(waiting.attachments).toEqual([]);
    await caller.transcribed('Ring me after six.');
    const [entry] = await callEntries(conv.id);
    expect(entry.call).toMatchObject({ recording: entry.attachments[0]?.id, recording_error: null, transcription: 'Ring me after six.' });
    expect(entry.attachments).toMatchObject([{ content_type: 'audio/mpeg' }]);
  });

  it('makes one entry of a call however often Twilio posts its steps, even at the same instant', async () => {
    const before = await storedCounts();
    const caller = twilio.call('+4915144444444');
    await Promise.all([caller.ring(), caller.ring()]);
    await caller.dialed('no-answer');
    await Promise.all([caller.recorded(9), caller.repeat(3)]);
    await caller.repeat(2);
    await caller.transcribed('Call me back please.');
    await caller.repeat(5);
    await caller.ended('completed', 30);
    const after = await storedCounts();
    // One call entry, one callback line, one recording; one external id.
    expect(after).toEqual({ messages: before.messages + 2, external: before.external + 1, attachments: before.attachments + 1 });
    const convs = await conversationFrom('+4915144444444');
    expect(convs).toHaveLength(1);
    const [entry] = await callEntries(convs[0].id);
    expect(entry.call).toMatchObject({ status: 'voicemail', duration_seconds: 9, transcription: 'Call me back please.' });
    // The repeated steps answered the same TwiML each time.
    expect(caller.answers.map((a) => a.status)).toEqual(Array(caller.answers.length).fill(200));
  });

  it('answers TwiML a strict XML reader accepts, and refuses webhooks that are not Twilio Voice', async () => {
    expect(() => parseTwiml('<?xml version="1.0"?><Response><Say>Tom & Jerry</Say></Response>')).toThrow(/bare &/);
    expect(() => parseTwiml('<Response><Say></Response>')).toThrow(/closes/);
    const url = `${inbox.inbound_webhook_url}?step=dial`;
    const res = await twilio.post(url, { AccountSid: twilio.accountSid, CallSid: `CA${'2'.repeat(32)}`, From: '+4915155555555', To: HELPLINE });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toBe('This is not a Twilio Voice webhook: no DialCallStatus.');
    const other = await twilio.post(inbox.inbound_webhook_url, { AccountSid: `AC${'0'.repeat(32)}`, CallSid: `CA${'3'.repeat(32)}`, From: '+4915155555555', To: HELPLINE, CallStatus: 'ringing' });
    expect(other.status).toBe(400);
    expect((await conversationFrom('+4915155555555')).length).toBe(0);
  });

  it('refuses written replies in a phone conversation with what to do instead; private notes are fine', async () => {
    const [conv] = await conversationFrom('+4915122222222');
    const reply = await call('POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'We will call you.' }, agent);
    expect(reply.statusCode).toBe(422);
    expect(json<Problem>(reply).error).toEqual({ code: 'text_replies_unsupported', message: expect.stringContaining('call the customer back and log the call') });
    expect((await call('POST', `/api/v1/conversations/${conv.id}/messages`, { content: 'Calling after lunch.', private: true }, agent)).statusCode).toBe(201);
  });

  it('logs a call by hand with the agent, checks it, does it once per client id, and closes the callback', async () => {
    const [conv] = await conversationFrom('+4915122222222');
    const path = `/api/v1/conversations/${conv.id}/calls`;
    const invalid = [
      [{ direction: 'outbound', outcome: 'no_answer', duration_seconds: 30 }, 'duration_seconds'],
      [{ direction: 'inbound', outcome: 'answered', at: new Date(Date.now() + 3600_000).toISOString() }, 'at'],
      [{ direction: 'outbound', outcome: 'missed' }, 'outcome'],
    ] as const;
    for (const [body, field] of invalid) {
      const res = await call('POST', path, body, agent);
      expect(res.statusCode).toBe(400);
      expect(json<Problem>(res).error.details!.map((d) => d.field)).toEqual([field]);
    }
    const schema = await call('POST', path, { direction: 'sideways', outcome: 'answered', duration_seconds: -1 }, agent);
    expect(schema.statusCode).toBe(400);
    expect(json<Problem>(schema).error.code).toBe('validation_failed');

    const body = { direction: 'outbound', outcome: 'answered', duration_seconds: 185, notes: 'Router replaced; courier tomorrow.', client_id: 'log-1' };
    const first = await call('POST', path, body, agent);
    expect(first.statusCode).toBe(201);
    const logged = json<Msg>(first);
    expect(logged).toMatchObject({ kind: 'call', content: 'Call to +4915122222222 (3:05): Router replaced; courier tomorrow.' });
    expect(logged.call).toMatchObject({ direction: 'outbound', status: 'completed', duration_seconds: 185, from: HELPLINE, to: '+4915122222222', agent: { id: agentPerson.id, name: agentPerson.name }, logged_by_hand: true, sid: null });
    const again = await call('POST', path, body, agent);
    expect(again.statusCode).toBe(200);
    expect(json<Msg>(again).id).toBe(logged.id);
    expect((await callEntries(conv.id)).filter((m) => m.call!.logged_by_hand)).toHaveLength(1);
    // The customer has been called back: the tag goes, the conversation stays open until resolved.
    expect((await conversationFrom('+4915122222222'))[0]).toMatchObject({ status: 'open', tags: [] });
  });

  it('knows the caller as the same contact as an API conversation with that number', async () => {
    const api = json<{ id: string }>(await call('POST', '/api/v1/inboxes', { channel: 'api', name: 'Shop app', webhook_url: `${twilio.url}/hook` }));
    const started = await call('POST', '/api/v1/conversations', { inbox_id: api.id, contact: { name: 'Grace Hopper', phone: '+44 20 7946 0321' }, message: { content: 'Order 77?' }, idempotency_key: 'grace-1' });
    expect(started.statusCode, started.body).toBe(201);
    const contactId = json<{ conversation: { contact: { id: string } } }>(started).conversation.contact.id;
    await twilio.call('+442079460321').ring();
    const phoneConv = (await conversationsOf()).find((c) => c.contact.id === contactId);
    expect(phoneConv).toMatchObject({ channel: 'phone', contact: { name: 'Grace Hopper' } });
  });

  it('takes a callback request from the web chat: checked, tagged, the number on the visitor, limited', async () => {
    const site = json<{ id: string; widget_key: string }>(await call('POST', '/api/v1/inboxes', { channel: 'webchat', name: 'Website', allowed_origins: ['https://shop.example'] }));
    const session = json<{ visitor_token: string; visitor: { contact_id: string } }>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: site.widget_key } }));
    const ask = (payload: Record<string, unknown>, token = session.visitor_token) => t.app.inject({ method: 'POST', url: '/api/v1/widget/callback-requests', headers: { 'x-visitor-token': token }, payload });

    expect((await ask({ phone: '+4915166666666', preferred_time: 'asap' }, 'vt_not-a-real-token-at-all')).statusCode).toBe(401);
    const badPhone = await ask({ phone: 'call me maybe', preferred_time: 'asap' });
    expect(badPhone.statusCode).toBe(400);
    expect(json<Problem>(badPhone).error).toMatchObject({ code: 'validation_failed', details: [{ field: 'phone' }] });
    const blank = await ask({ phone: '+4915166666666', preferred_time: '   ' });
    expect(json<Problem>(blank).error.details).toMatchObject([{ field: 'preferred_time' }]);

    const first = await ask({ phone: '+49 151 6666 6666', preferred_time: 'after 5 pm', note: 'About my invoice', client_request_id: 'cb-1' });
    expect(first.statusCode).toBe(201);
    expect(json(first)).toMatchObject({ phone: '+4915166666666', preferred_time: 'after 5 pm' });
    expect((await ask({ phone: '+49 151 6666 6666', preferred_time: 'after 5 pm', client_request_id: 'cb-1' })).statusCode).toBe(200);

    const [conv] = await conversationsOf(site.id);
    expect(conv).toMatchObject({ status: 'open', tags: ['callback'] });
    const entries = await callEntries(conv.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ content: 'Callback requested to +4915166666666, preferred time: after 5 pm: About my invoice', call: { status: 'requested', direction: 'outbound', to: '+4915166666666', preferred_time: 'after 5 pm' } });
    const contact = json<{ phone: string; identities: Array<{ kind: string; value: string; verified: boolean }> }>(await call('GET', `/api/v1/contacts/${session.visitor.contact_id}`));
    expect(contact.phone).toBe('+4915166666666');
    expect(contact.identities).toContainEqual({ kind: 'phone', value: '+4915166666666', verified: false });
    // The visitor never sees the request as a chat message.
    const visible = json<{ data: unknown[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/widget/messages', headers: { 'x-visitor-token': session.visitor_token } }));
    expect(visible.data).toEqual([]);

    // Someone else's number: the request goes in, the number stays theirs.
    const other = json<{ visitor_token: string; visitor: { contact_id: string } }>(await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { widget_key: site.widget_key } }));
    expect((await ask({ phone: '+4915111111111', preferred_time: '2030-01-02T09:30:00+01:00' }, other.visitor_token)).statusCode).toBe(201);
    const stranger = json<{ phone: string | null; identities: Array<{ kind: string }> }>(await call('GET', `/api/v1/contacts/${other.visitor.contact_id}`));
    expect(stranger).toMatchObject({ phone: null });
    expect(stranger.identities.filter((i) => i.kind === 'phone')).toEqual([]);

    expect((await ask({ phone: '+4915166666666', preferred_time: 'asap' })).statusCode).toBe(201);
    expect((await ask({ phone: '+4915166666666', preferred_time: 'asap' })).statusCode).toBe(201);
    const limited = await ask({ phone: '+4915166666666', preferred_time: 'asap' });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('keeps another workspace out of the phone inbox, its calls and recordings', async () => {
    const other = await makeWorkspace(t, 'Other');
    const outsider = await sessionFor(t, other.owner.id, other.accountId);
    const [conv] = await conversationFrom('+4915133333333');
    const [entry] = await callEntries(conv.id);
    expect((await call('GET', `/api/v1/inboxes/${inbox.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/conversations/${conv.id}`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/conversations/${conv.id}/messages`, undefined, outsider)).statusCode).toBe(404);
    expect((await call('POST', `/api/v1/conversations/${conv.id}/calls`, { direction: 'outbound', outcome: 'answered' }, outsider)).statusCode).toBe(404);
    expect((await call('GET', entry.attachments[0].url, undefined, outsider)).statusCode).toBe(404);
    expect((await conversationsOf(inbox.id, outsider)).length).toBe(0);
    // An agent of this workspace who does not work in the inbox sees none of it either (SECURITY 6).
    const bystander = await sessionFor(t, (await makeMember(t, accountId, 'agent')).id, accountId);
    expect((await call('POST', `/api/v1/conversations/${conv.id}/calls`, { direction: 'outbound', outcome: 'answered' }, bystander)).statusCode).toBe(404);
    expect((await call('GET', entry.attachments[0].url, undefined, bystander)).statusCode).toBe(404);
  });
});
