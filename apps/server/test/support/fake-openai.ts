/**
 * A local HTTP server that speaks the OpenAI chat completions wire format
 * (https://platform.openai.com/docs/api-reference/chat): POST /v1/chat/completions with
 * { model, messages, … } answers { id, object: 'chat.completion', choices: [{ index, message:
 * { role: 'assistant', content }, finish_reason }], usage }. Each test says what it answers next.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCompletion {
  path: string;
  authorization: string | undefined;
  body: { model: string; messages: Array<{ role: string; content: string }>; max_tokens?: number };
}

export type FakeAnswer =
  | { content: string }
  | { status: number; body: string }
  | { hang: true }
  | { redirect: string }
  | { huge: number };

export interface FakeOpenAi {
  baseUrl: string;
  received: ReceivedCompletion[];
  /** What the next requests get (the last one set stays). */
  answer(a: FakeAnswer): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const received: ReceivedCompletion[] = [];
  let next: FakeAnswer = { content: 'ready' };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Unknown path', type: 'invalid_request_error' } }));
        return;
      }
      received.push({ path: req.url, authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedCompletion['body'] });
      const a = next;
      if ('hang' in a) return;
      if ('redirect' in a) return res.writeHead(302, { location: a.redirect }).end();
      if ('status' in a) return res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
      if ('huge' in a) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"pad":"' + 'x'.repeat(a.huge) + '"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: 'test-model',
          choices: [{ index: 0, message: { role: 'assistant', content: a.content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    answer: (a) => {
      next = a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
