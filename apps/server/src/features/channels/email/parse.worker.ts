/**
 * A parse thread (see parse-pool.ts): parses the raw emails it is sent, one after another, and
 * answers each with the parsed email or why it was set aside.
 */
import { parentPort } from 'node:worker_threads';
import { EmailQuarantined, parseEmail, type ParseLimits } from './parse.js';

export interface ParseJob {
  id: number;
  raw: Uint8Array;
  limits: Partial<ParseLimits>;
}

export type ParseAnswer = { id: number; parsed: Awaited<ReturnType<typeof parseEmail>> } | { id: number; quarantined: string } | { id: number; error: string };

const port = parentPort!;
let queue = Promise.resolve();
port.on('message', (job: ParseJob) => {
  queue = queue.then(async () => {
    let answer: ParseAnswer;
    try {
      answer = { id: job.id, parsed: await parseEmail(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength), job.limits) };
    } catch (err) {
      answer = err instanceof EmailQuarantined ? { id: job.id, quarantined: err.reason } : { id: job.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(answer);
  });
});
