/**
 * Inbound email is parsed on worker threads, so that MIME parsing (CPU work) runs beside the
 * database writes of the mail parsed before it instead of taking turns with them on the one
 * JavaScript thread. The answer is what `parseEmail` answers; a thread that stops answering
 * (a parse stuck in a loop never yields to its own time limit) is ended and the message set
 * aside as a parse over the limit would be; the other messages queued on it go to a new thread.
 */
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DEFAULT_LIMITS, EmailQuarantined, formatCount, type ParseLimits } from './parse-limits.js';
import type { ParsedEmail } from './parse.js';
import type { ParseAnswer, ParseJob } from './parse.worker.js';

/**
 * Parses sent ahead to one thread, which works through them in order. Generous on purpose: the
 * main thread may be busy with the database for a while (the embedded one runs on it), and a
 * thread that must wait for it to hand over the next message idles meanwhile.
 */
const IN_FLIGHT = 64;
/** Past its own time limit, how long a thread may take to answer before it is taken as stuck. */
const GRACE_MS = 2_000;

interface Job {
  id: number;
  raw: Buffer;
  limits: Partial<ParseLimits>;
  resolve: (parsed: ParsedEmail) => void;
  reject: (err: unknown) => void;
}

interface Thread {
  worker: Worker;
  /** Sent to this thread, oldest first: the first is the one being parsed. */
  sent: Job[];
  timer?: NodeJS.Timeout;
}

/** The thread's entry: the compiled file beside this one, or, run from sources (tests, tsx), the TypeScript file through tsx. */
function startWorker(): Worker {
  const here = import.meta.url;
  const entry = new URL(`./parse.worker${path.extname(new URL(here).pathname)}`, here);
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
  }
  return new Worker(entry);
}

export interface ParsePool {
  parse(raw: Buffer, limits?: Partial<ParseLimits>): Promise<ParsedEmail>;
  close(): Promise<void>;
}

export function createParsePool(size: number): ParsePool {
  const threads: Thread[] = [];
  const waiting: Job[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Thread {
    const thread: Thread = { worker: startWorker(), sent: [] };
    // An idle thread does not keep the process alive (one with work does, until it answers).
    thread.worker.unref();
    thread.worker.on('message', (answer: ParseAnswer) => {
      const job = thread.sent.shift();
      if (!job || job.id !== answer.id) return;
      clearTimeout(thread.timer);
      watch(thread);
      if (!thread.sent.length) thread.worker.unref();
      if ('parsed' in answer) job.resolve(revive(answer.parsed));
      else if ('quarantined' in answer) job.reject(new EmailQuarantined(answer.quarantined));
      else job.reject(new Error(answer.error));
      pump();
    });
    // A thread that dies (out of memory on a hostile message, say) takes the message it was on with it.
    thread.worker.on('error', () => replace(thread, 'The message could not be read as email (the parser stopped on it).'));
    thread.worker.on('exit', () => replace(thread, 'The message could not be read as email (the parser stopped on it).'));
    threads.push(thread);
    return thread;
  }

  /** The first job sent is the one being parsed: its time is watched. */
  function watch(thread: Thread): void {
    const job = thread.sent[0];
    if (!job) return;
    const limit = job.limits.timeoutMs ?? DEFAULT_LIMITS.timeoutMs;
    thread.timer = setTimeout(() => {
      replace(thread, `Reading the message took longer than ${formatCount(limit / 1000)} seconds, so it was set aside; it is probably malformed or built to be slow to read.`);
      void thread.worker.terminate();
    }, limit + GRACE_MS);
    thread.timer.unref();
  }

  /** Takes a thread out of the pool: the job it was parsing is set aside, the others go to another thread. */
  function replace(thread: Thread, reason: string): void {
    const at = threads.indexOf(thread);
    if (at < 0) return;
    threads.splice(at, 1);
    clearTimeout(thread.timer);
    const [current, ...rest] = thread.sent;
    thread.sent = [];
    thread.worker.removeAllListeners('message');
    current?.reject(new EmailQuarantined(reason));
    waiting.unshift(...rest);
    if (!closed) pump();
  }

  function pump(): void {
    while (waiting.length && !closed) {
      if (threads.length < size) spawn();
      const thread = threads.reduce((a, b) => (b.sent.length < a.sent.length ? b : a));
      if (thread.sent.length >= IN_FLIGHT) return;
      const job = waiting.shift()!;
      thread.sent.push(job);
      thread.worker.ref();
      if (thread.sent.length === 1) watch(thread);
      // A copy the size of the message, handed over rather than copied again.
      const raw = new Uint8Array(job.raw);
      thread.worker.postMessage({ id: job.id, raw, limits: job.limits } satisfies ParseJob, [raw.buffer]);
    }
  }

  return {
    parse(raw, limits = {}) {
      if (closed) return Promise.reject(new Error('The email parse pool is closed.'));
      return new Promise<ParsedEmail>((resolve, reject) => {
        waiting.push({ id: nextId++, raw, limits, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      const all = threads.splice(0);
      for (const job of [...waiting.splice(0), ...all.flatMap((t) => t.sent)]) job.reject(new Error('The email parse pool is closed.'));
      await Promise.all(all.map((t) => (clearTimeout(t.timer), t.worker.removeAllListeners(), t.worker.terminate())));
    },
  };
}

/** Buffers cross the thread boundary as plain byte arrays. */
function revive(parsed: ParsedEmail): ParsedEmail {
  for (const file of parsed.attachments) file.content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
  return parsed;
}

let shared: ParsePool | undefined;

/** The process's parse threads: one per core the database and the main thread leave (at least one), started on first use. */
export function emailParsePool(): ParsePool {
  shared ??= createParsePool(Math.max(1, Math.min(4, os.availableParallelism() - 1)));
  return shared;
}
