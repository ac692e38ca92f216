import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { EmailQuarantined, parseEmail } from './parse.js';
import { createParsePool } from './parse-pool.js';

const corpus = (name: string) => readFileSync(new URL(`../../../../test/fixtures/email/${name}`, import.meta.url));

describe('parse threads', () => {
  const pool = createParsePool(1);
  afterAll(() => pool.close());

  it('answer what parseEmail answers, files as Buffers', async () => {
    const raw = corpus('nested-related.eml');
    const [threaded, here] = await Promise.all([pool.parse(raw), parseEmail(raw)]);
    expect(threaded).toEqual(here);
    for (const file of threaded.attachments) expect(Buffer.isBuffer(file.content)).toBe(true);
  });

  it('set aside what parseEmail sets aside, with its reason, and go on with the next', async () => {
    const big = Buffer.from(`From: a@example.com\r\nSubject: big\r\n\r\n${'x'.repeat(2000)}\r\n`);
    const [refused, next] = await Promise.allSettled([pool.parse(big, { maxBytes: 1000 }), pool.parse(corpus('gmail-reply.eml'))]);
    expect(refused.status === 'rejected' && refused.reason instanceof EmailQuarantined && refused.reason.reason).toMatch(/at most 1,000 bytes/);
    expect(next.status).toBe('fulfilled');
  });
});
