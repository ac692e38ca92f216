/**
 * A webhook receiver on 127.0.0.1 for the API channel's tests: it keeps every request as it came
 * (raw body bytes, so signatures are checked on exactly what was sent) and answers from a plan
 * the test sets: fail, refuse, say gone, hang, or flood the answer; 200 when nothing is planned.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export type Answer = 'ok' | 'fail500' | 'bad400' | 'gone' | 'hang' | 'flood';

export interface Received {
  /** The path and query string the request was sent to. */
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  at: number;
}

/** Text the receiver puts in its error answers: it must never show up in Rapport. */
export const RECEIVER_SECRET_TEXT = 'receiver-internal-detail-7f3a';

export interface WebhookReceiver {
  url: string;
  port: number;
  received: Received[];
  /** The answers to the next requests, in order. */
  plan(...answers: Answer[]): void;
  /** Requests that carried this delivery id. */
  deliveriesOf(id: string): Received[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const planned: Answer[] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks), at: Date.now() });
      switch (planned.shift() ?? 'ok') {
        case 'ok':
          return res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
        case 'fail500':
          return res.writeHead(500).end(`Internal error: ${RECEIVER_SECRET_TEXT}`);
        case 'bad400':
          return res.writeHead(400).end(`Bad request: ${RECEIVER_SECRET_TEXT}`);
        case 'gone':
          return res.writeHead(410).end();
        case 'hang':
          open.add(res); // never answers
          return;
        case 'flood': {
          // A 200 followed by an answer that never ends.
          open.add(res);
          res.writeHead(200, { 'content-type': 'text/plain' });
          const more = () => {
            while (!res.destroyed && res.write(Buffer.alloc(16 * 1024, 'x')));
          };
          res.on('drain', more);
          more();
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/rapport`,
    port,
    received,
    plan: (...answers) => planned.push(...answers),
    deliveriesOf: (id) => received.filter((r) => r.headers['x-rapport-delivery'] === id),
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * What a receiver does to trust a webhook, written here with node:crypto alone: the signature is
 * HMAC-SHA256 over `id.timestamp.` and the body bytes, compared in constant time, and the
 * timestamp is at most 5 minutes old.
 */
export function verifySignature(r: Received, secret: string): boolean {
  const id = r.headers['x-rapport-delivery'];
  const timestamp = r.headers['x-rapport-timestamp'];
  const signature = r.headers['x-rapport-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${id}.${timestamp}.`).update(r.raw).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
