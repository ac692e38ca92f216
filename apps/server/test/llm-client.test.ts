/**
 * The AI assist client against a local server speaking the OpenAI chat completions format
 * (https://platform.openai.com/docs/api-reference/chat), and SECURITY 19: it never connects to
 * loopback, private or link-local addresses — written as names, numbers or IPv6, or reached by a
 * redirect — unless AI_ALLOW_PRIVATE_HOSTS names them; it keeps to its time and size limits and
 * never reports the upstream body.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allowListOf } from '../src/features/channels/api/webhook-target.js';
import { chatCompletion, checkBaseUrl, completionsUrl, llmLimits } from '../src/features/ai/llm-client.js';
import { startFakeOpenAi, type FakeOpenAi } from './support/fake-openai.js';

const none = allowListOf([]);
const local = allowListOf(['127.0.0.1']);
const ask = [{ role: 'user' as const, content: 'Hello' }];

describe('LLM client', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(() => fake.close());
  afterEach(() => {
    llmLimits.timeoutMs = 20_000;
    llmLimits.maxResponseBytes = 256 * 1024;
  });

  it('posts the chat completions format to {base}/chat/completions with the key, and reads the assistant message', async () => {
    expect(completionsUrl('https://api.example.com/v1/').href).toBe('https://api.example.com/v1/chat/completions');
    fake.answer({ content: '  Hello back  ' });
    const result = await chatCompletion({ baseUrl: fake.baseUrl, model: 'm1', apiKey: 'sk-1', messages: ask, maxTokens: 50, allow: local });
    expect(result).toEqual({ ok: true, text: 'Hello back' });
    const got = fake.received.at(-1)!;
    expect(got.path).toBe('/v1/chat/completions');
    expect(got.authorization).toBe('Bearer sk-1');
    expect(got.body).toMatchObject({ model: 'm1', messages: ask, max_tokens: 50 });
  });

  it.each([
    ['the loopback address', 'https://127.0.0.1/v1'],
    ['IPv6 loopback', 'https://[::1]/v1'],
    ['the cloud metadata service', 'https://169.254.169.254/latest'],
    ['a private network', 'https://10.1.2.3/v1'],
    ['loopback written as a number', 'https://2130706433/v1'],
    ['loopback written in hex', 'https://0x7f000001/v1'],
    ['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/v1'],
    ['plain http to the local server', ''],
  ])('refuses %s unless allow-listed', async (_what, url) => {
    const baseUrl = url || fake.baseUrl;
    const before = fake.received.length;
    const result = await chatCompletion({ baseUrl, model: 'm', apiKey: null, messages: ask, allow: none });
    expect(result).toMatchObject({ ok: false, blocked: true });
    expect(await checkBaseUrl(baseUrl, none)).toMatch(/points at|https:\/\//);
    expect(fake.received.length).toBe(before);
  });

  it('refuses a name that resolves to a private address, checking where it connects', async () => {
    const resolve = async () => [{ address: '10.0.0.5', family: 4 }];
    const result = await chatCompletion({ baseUrl: 'https://models.internal.example/v1', model: 'm', apiKey: null, messages: ask, allow: none, resolve });
    expect(result).toMatchObject({ ok: false, blocked: true });
    expect(!result.ok && result.reason).toMatch(/10\.0\.0\.5 \(a private network address\)/);
    expect(await checkBaseUrl('https://models.internal.example/v1', none, resolve)).toMatch(/resolves to 10\.0\.0\.5/);
    // The same name, allow-listed, is fine.
    expect(await checkBaseUrl('https://models.internal.example/v1', allowListOf(['models.internal.example']), resolve)).toBeNull();
  });

  it('does not follow a redirect (to the metadata service or anywhere)', async () => {
    fake.answer({ redirect: 'http://169.254.169.254/latest/meta-data/' });
    const before = fake.received.length;
    const result = await chatCompletion({ baseUrl: fake.baseUrl, model: 'm', apiKey: null, messages: ask, allow: local });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/redirect \(HTTP 302\)/) as unknown as string });
    expect(fake.received.length).toBe(before + 1);
  });

  it('reports an upstream error by its status only, never its body', async () => {
    fake.answer({ status: 500, body: '{"error":"stack trace with sk-upstream-secret"}' });
    const result = await chatCompletion({ baseUrl: fake.baseUrl, model: 'm', apiKey: null, messages: ask, allow: local });
    expect(result).toEqual({ ok: false, reason: 'The model server answered HTTP 500.' });
    expect(JSON.stringify(result)).not.toContain('sk-upstream-secret');
  });

  it('gives up on a server that does not answer in time, and on an answer over the size limit', async () => {
    llmLimits.timeoutMs = 200;
    fake.answer({ hang: true });
    const started = Date.now();
    expect(await chatCompletion({ baseUrl: fake.baseUrl, model: 'm', apiKey: null, messages: ask, allow: local })).toEqual({ ok: false, reason: 'The model server did not answer within 0.2 seconds.' });
    expect(Date.now() - started).toBeLessThan(2000);
    llmLimits.timeoutMs = 5000;
    llmLimits.maxResponseBytes = 10_000;
    fake.answer({ huge: 50_000 });
    expect(await chatCompletion({ baseUrl: fake.baseUrl, model: 'm', apiKey: null, messages: ask, allow: local })).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) as unknown as string });
  });

  it('caps what it sends: a huge conversation is cut to the prompt budget', async () => {
    fake.answer({ content: 'ok' });
    await chatCompletion({ baseUrl: fake.baseUrl, model: 'm', apiKey: null, messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'x'.repeat(100_000) }], allow: local });
    const sent = fake.received.at(-1)!.body.messages;
    expect(sent.reduce((n, m) => n + m.content.length, 0)).toBe(llmLimits.maxPromptChars);
  });
});
