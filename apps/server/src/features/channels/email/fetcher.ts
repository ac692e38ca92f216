/**
 * Fetching mail by IMAP: one connection per email inbox, all in parallel, each resuming after
 * the last UID it stored (so a restart neither loses nor repeats mail), then waiting on IDLE (or
 * NOOP polling where the server has no IDLE) for new mail. One node at a time holds a mailbox,
 * by a lease renewed while it works; another node takes over when the lease runs out. A server
 * that refuses or goes away marks the inbox's connection as failing (settings and the inbox show
 * it) and is tried again with backoff; nothing is lost meanwhile, the mail waits on the server.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ImapFlow } from 'imapflow';
import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../../../core/context.js';
import { scoped, unscoped } from '../../../core/db/tenant.js';
import { imapClient, serversOf, describeMailError, type ImapConfig } from './settings.js';
import { setConnection } from '../connection.js';
import { ingestEmails, keepAside, type EmailInbox } from './ingest.js';

const LEASE_S = 60;
const RENEW_MS = 20_000;
const SUPERVISE_MS = 30_000;
const BACKOFF_MS = [2_000, 5_000, 15_000, 30_000, 60_000, 300_000];
/** Mail older than this is not imported when an inbox first connects (the mailbox may hold years). */
const FIRST_IMPORT_DAYS = 7;

export interface EmailFetching {
  /** Looks again at which inboxes to fetch (after one is created, changed or deleted). */
  refresh(): void;
  stop(): Promise<void>;
}

interface Row extends EmailInbox {
  channel_config: Record<string, unknown>;
  channel_secrets: string | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export function startEmailFetching(ctx: AppContext, log: FastifyBaseLogger, options: { superviseMs?: number } = {}): EmailFetching {
  const node = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const running = new Map<string, { fingerprint: string; stop: () => Promise<void> }>();
  let stopped = false;
  let supervising: Promise<void> | undefined;

  async function supervise(): Promise<void> {
    // Every workspace's email inboxes: this node's worker serves them all.
    const rows = (await unscoped(ctx.db)
      .selectFrom('inboxes')
      .select(['id', 'account_id', 'email_address', 'channel_config', 'channel_secrets'])
      .where('channel', '=', 'email')
      .execute()) as Row[];
    const wanted = new Map(rows.filter((r) => (r.channel_config as { imap?: unknown }).imap).map((r) => [r.id, r]));
    for (const [id, worker] of running) {
      const row = wanted.get(id);
      if (!row || fingerprintOf(row) !== worker.fingerprint) {
        running.delete(id);
        await worker.stop();
      }
    }
    for (const [id, row] of wanted) {
      if (stopped || running.has(id)) continue;
      running.set(id, { fingerprint: fingerprintOf(row), stop: watchMailbox(ctx, log, node, row) });
    }
  }

  const refresh = () => {
    if (stopped) return;
    supervising = (supervising ?? Promise.resolve()).then(supervise).catch((err: unknown) => log.warn({ err }, 'email: could not read the email inboxes; trying again shortly'));
  };
  refresh();
  const timer = setInterval(refresh, options.superviseMs ?? SUPERVISE_MS);
  timer.unref();

  return {
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await supervising?.catch(() => {});
      await Promise.all([...running.values()].map((w) => w.stop()));
      running.clear();
    },
  };
}

const fingerprintOf = (row: Row) => `${row.email_address}|${JSON.stringify(row.channel_config)}|${row.channel_secrets}`;

/** Takes or renews this node's lease on a mailbox; false when another node holds it. */
async function lease(ctx: AppContext, node: string, inbox: Row, mailbox: string): Promise<boolean> {
  const ws = scoped(ctx.db, inbox.account_id);
  await ws.insertInto('email_mailboxes', { inbox_id: inbox.id, mailbox }).onConflict((oc) => oc.column('inbox_id').doNothing()).execute();
  const got = await ws
    .updateTable('email_mailboxes')
    .set({ leased_by: node, lease_until: sql<Date>`now() + make_interval(secs => ${LEASE_S})` })
    .where('inbox_id', '=', inbox.id)
    .where((eb) => eb.or([eb('leased_by', 'is', null), eb('leased_by', '=', node), eb('lease_until', '<', sql<Date>`now()`)]))
    .returning('inbox_id')
    .executeTakeFirst();
  return Boolean(got);
}

/** Runs one mailbox until stopped: connect, catch up, wait for new mail; on trouble, back off and again. Answers its stop. */
function watchMailbox(ctx: AppContext, log: FastifyBaseLogger, node: string, inbox: Row): () => Promise<void> {
  const abort = new AbortController();
  const servers = serversOf(ctx.box, inbox);
  const imap = servers.imap!;
  let client: ImapFlow | undefined;

  const loop = (async () => {
    let failures = 0;
    while (!abort.signal.aborted) {
      if (!(await lease(ctx, node, inbox, imap.mailbox).catch(() => false))) {
        await sleep(RENEW_MS, abort.signal); // another node has it; look again later
        continue;
      }
      try {
        client = imapClient(imap);
        const closed = new Promise<void>((resolve) => client!.once('close', () => resolve()));
        client.on('error', (err: unknown) => log.debug({ err, inbox: inbox.id }, 'email: IMAP connection error'));
        await client.connect();
        await setConnection(ctx, inbox.account_id, inbox.id, 'ok', null, 'imap');
        failures = 0;
        await follow(ctx, log, client, inbox, imap, node, abort.signal, closed);
      } catch (err) {
        if (abort.signal.aborted) break;
        failures++;
        const reason = describeMailError('IMAP', imap, err);
        log.warn({ inbox: inbox.id, reason }, 'email: fetching failed; trying again');
        await setConnection(ctx, inbox.account_id, inbox.id, 'failing', reason, 'imap').catch(() => {});
      } finally {
        const c = client;
        client = undefined;
        if (c?.usable) await c.logout().catch(() => c.close());
        else c?.close();
      }
      await sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)], abort.signal);
    }
  })();

  return async () => {
    abort.abort();
    client?.close();
    await loop;
    // Let another node (or this one after a restart) take the mailbox at once.
    await scoped(ctx.db, inbox.account_id).updateTable('email_mailboxes').set({ leased_by: null, lease_until: null }).where('inbox_id', '=', inbox.id).where('leased_by', '=', node).execute().catch(() => {});
  };
}

/**
 * With the mailbox open: imports what is new, then again on every new-mail notice, until the
 * connection ends. The mailbox lock is held only while importing: imapflow goes into IDLE (and so
 * hears of new mail) only when no lock is held.
 */
async function follow(ctx: AppContext, log: FastifyBaseLogger, client: ImapFlow, inbox: Row, imap: ImapConfig, node: string, signal: AbortSignal, closed: Promise<void>): Promise<void> {
  const ws = scoped(ctx.db, inbox.account_id);
  const first = await client.getMailboxLock(imap.mailbox);
  try {
    const box = client.mailbox === false ? undefined : client.mailbox;
    const uidValidity = Number(box?.uidValidity ?? 0);
    const state = await ws.selectFrom('email_mailboxes').select(['uid_validity', 'last_uid']).where('inbox_id', '=', inbox.id).executeTakeFirstOrThrow();
    if (state.uid_validity !== uidValidity) {
      // First connection, or the server renumbered the mailbox: start over from recent mail
      // (Message-IDs already stored are dropped as duplicates, so nothing doubles).
      const since = new Date(Date.now() - FIRST_IMPORT_DAYS * 86_400_000);
      const recent = (await client.search({ since }, { uid: true })) || [];
      const start = recent.length ? Math.min(...recent) - 1 : Math.max(0, Number(box?.uidNext ?? 1) - 1);
      await ws.updateTable('email_mailboxes').set({ uid_validity: uidValidity, last_uid: start, mailbox: imap.mailbox, updated_at: sql<Date>`now()` }).where('inbox_id', '=', inbox.id).execute();
    }
  } finally {
    first.release();
  }

  let chain = Promise.resolve();
  const catchUp = () =>
    (chain = chain
      .then(async () => {
        const lock = await client.getMailboxLock(imap.mailbox);
        try {
          await importNew(ctx, log, client, inbox);
        } finally {
          lock.release();
        }
      })
      .catch((err: unknown) => {
        log.warn({ err, inbox: inbox.id }, 'email: importing new mail failed; the connection restarts');
        client.close();
      }));
  client.on('exists', () => void catchUp());
  await catchUp();
  // While idle the lease is renewed; losing it (another node took over) ends this connection.
  const renew = setInterval(() => {
    lease(ctx, node, inbox, imap.mailbox).then(
      (held) => held || client.close(),
      () => {},
    );
  }, RENEW_MS);
  try {
    await Promise.race([closed, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
    await chain;
  } finally {
    clearInterval(renew);
  }
  if (!signal.aborted) throw new Error('The IMAP server closed the connection.');
}

/** One FETCH brings at most this many messages, and this many bytes of them (all at least one). */
export const FETCH_MESSAGES = 50;
const FETCH_BYTES = 20 * 1024 * 1024;

/**
 * Imports every message after the stored UID, a fetch at a time: the sources of a run of UIDs in
 * one FETCH, ingested together (see ingestEmails), then the UID stored. The next run is fetched
 * and handed over while the last is being stored, so its mail is parsed meanwhile. A message that
 * could not be stored stops the import there: the UID stays before it, and the connection
 * restarts to try again (the messages after it that were stored are dropped as duplicates then).
 */
async function importNew(ctx: AppContext, log: FastifyBaseLogger, client: ImapFlow, inbox: Row): Promise<void> {
  const ws = scoped(ctx.db, inbox.account_id);
  const storeUid = (uid: number) => ws.updateTable('email_mailboxes').set({ last_uid: uid, updated_at: sql<Date>`now()` }).where('inbox_id', '=', inbox.id).execute();
  for (;;) {
    const { last_uid: last } = await ws.selectFrom('email_mailboxes').select('last_uid').where('inbox_id', '=', inbox.id).executeTakeFirstOrThrow();
    const pending: Array<{ uid: number; size: number }> = [];
    // UIDs and sizes first: no other command may run while a FETCH streams.
    for await (const m of client.fetch(`${last + 1}:*`, { uid: true, size: true }, { uid: true })) if (m.uid > last) pending.push({ uid: m.uid, size: m.size ?? 0 });
    if (!pending.length) return;
    pending.sort((a, b) => a.uid - b.uid);
    const runs = runsOf(pending.slice(0, 200), ctx.config.emailMaxBytes);
    // IMAP commands one after the other; each run's storing may overlap the next one's FETCH.
    let imap: Promise<unknown> = Promise.resolve();
    const begin = (run: number[]) => {
      const fetched = imap.then(() => fetchRun(ctx, client, inbox, run, pending));
      imap = fetched.catch(() => {});
      return fetched.then(async ({ present, sources }) => ({ present, answers: await ingestEmails(ctx, inbox, sources) }));
    };
    let next = begin(runs[0]);
    for (const [k, run] of runs.entries()) {
      const current = next;
      if (k + 1 < runs.length) next = begin(runs[k + 1]);
      // Should this run fail, the next one still ends (what it stored is found as duplicates later).
      const abandon = () => {
        if (k + 1 < runs.length) next.catch(() => {});
      };
      let imported;
      try {
        imported = await current;
      } catch (err) {
        abandon();
        throw err;
      }
      for (const [i, answer] of imported.answers.entries()) {
        log.debug({ inbox: inbox.id, uid: imported.present[i], outcome: answer.outcome }, 'email: fetched');
        if (answer.outcome !== 'failed') continue;
        const before = run.indexOf(imported.present[i]) - 1;
        if (before >= 0) await storeUid(run[before]);
        abandon();
        throw answer.error;
      }
      await storeUid(run[run.length - 1]);
    }
  }
}

/** UIDs in runs of one FETCH each; a message over the size limit is a run of its own. */
function runsOf(pending: Array<{ uid: number; size: number }>, maxBytes: number): number[][] {
  const runs: number[][] = [];
  let bytes = 0;
  for (const { uid, size } of pending) {
    const last = runs[runs.length - 1];
    const big = size > maxBytes;
    const lastBig = last && pending.find((p) => p.uid === last[0])!.size > maxBytes;
    if (!last || big || lastBig || last.length >= FETCH_MESSAGES || bytes + size > FETCH_BYTES) {
      runs.push([uid]);
      bytes = size;
    } else {
      last.push(uid);
      bytes += size;
    }
  }
  return runs;
}

/**
 * The sources of one run. A message over the size limit is not fetched whole: it is kept aside
 * with its header only, and has no source to ingest.
 */
async function fetchRun(ctx: AppContext, client: ImapFlow, inbox: Row, run: number[], pending: Array<{ uid: number; size: number }>): Promise<{ present: number[]; sources: Buffer[] }> {
  const size = pending.find((p) => p.uid === run[0])!.size;
  if (size > ctx.config.emailMaxBytes) {
    const head = await client.fetchOne(String(run[0]), { uid: true, headers: true }, { uid: true });
    await keepAside(ctx, inbox, head ? head.headers ?? Buffer.alloc(0) : Buffer.alloc(0), `The email is ${Math.round(size / 1048576)} MB; at most ${Math.round(ctx.config.emailMaxBytes / 1048576)} MB are accepted (EMAIL_MAX_MB).`, false);
    return { present: [], sources: [] };
  }
  const sources = new Map<number, Buffer>();
  for await (const m of client.fetch(run.join(','), { uid: true, source: true }, { uid: true })) if (m.source) sources.set(m.uid, m.source);
  // A message gone from the server meanwhile has nothing to import.
  const present = run.filter((u) => sources.has(u));
  return { present, sources: present.map((u) => sources.get(u)!) };
}
