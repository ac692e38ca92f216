/**
 * The database: one SQL dialect (PostgreSQL), two engines. DATABASE_URL selects a PostgreSQL
 * server; otherwise the embedded PGlite keeps its files under RAPPORT_DATA_DIR/db.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, sql, type KyselyPlugin, type Transaction } from 'kysely';
import pg from 'pg';
import { ConfigError, type Config } from '../config.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

// int8 (counts, sums) as JS numbers on both engines; PGlite already does this.
pg.types.setTypeParser(20, (v: string) => Number(v));

export type Database = Kysely<DB>;

/** The PostgreSQL pool behind a database, for statements run as named prepared statements. */
const pools = new WeakMap<Kysely<DB>, pg.Pool>();

/**
 * Runs a statement of the hot path. On a PostgreSQL server it is a named prepared statement, so
 * each connection parses and plans it once instead of on every call; the embedded engine, or a
 * transaction (which holds its own connection), runs it as a plain parameterised query. `text`
 * must be a constant: the name stands for it on every connection.
 */
export async function executePrepared<R>(db: Kysely<DB> | Transaction<DB>, name: string, text: string, values: unknown[]): Promise<R[]> {
  const pool = db.isTransaction ? undefined : pools.get(db);
  if (pool) return (await pool.query<R & pg.QueryResultRow>({ name, text, values })).rows;
  return (await db.executeQuery<R>(CompiledQuery.raw(text, values))).rows;
}

/** The same database with another plugin (the tenant guard) keeps its prepared-statement pool. */
export function withPlugin(db: Kysely<DB>, plugin: KyselyPlugin): Kysely<DB> {
  const next = db.withPlugin(plugin);
  const pool = pools.get(db);
  if (pool) pools.set(next, pool);
  return next;
}

export interface DatabaseHandle {
  db: Database;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Thrown when the embedded database's folder is held by another running Rapport process. */
export class DataDirInUseError extends Error {
  constructor(public readonly dir: string, public readonly pid: number) {
    super(
      `RAPPORT_DATA_DIR: the embedded database in ${dir} is in use by another Rapport process (pid ${pid}); stop that server first, or set RAPPORT_DATA_DIR to another folder`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One process at a time may open an embedded database: PGlite has no cross-process locking. */
function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, 'rapport.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ConfigError('RAPPORT_DATA_DIR', `cannot write to ${dir} (${(err as NodeJS.ErrnoException).code})`);
      }
      const pid = Number(fs.readFileSync(lockFile, 'utf8'));
      if (pid && pid !== process.pid && isAlive(pid)) throw new DataDirInUseError(dir, pid);
      fs.unlinkSync(lockFile); // stale: its process is gone
    }
  }
  throw new ConfigError('RAPPORT_DATA_DIR', `cannot lock ${dir}`);
}

function describePgError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { message?: string };
  if (e.code === 'ECONNREFUSED') return 'connection refused — is PostgreSQL running there?';
  if (e.code === 'ENOTFOUND') return 'host not found';
  if (e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')) return 'timed out';
  if (e.code === '28P01' || e.code === '28000') return `authentication failed (${e.message})`;
  if (e.code === '3D000') return `database does not exist (${e.message})`;
  return e.message ?? String(err);
}

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      connectionTimeoutMillis: 5000,
    });
    pool.on('error', () => {
      /* an idle client died; the pool replaces it and the next query reports the problem */
    });
    pool.on('connect', (client) => {
      // A connection that dies while checked out (inside a transaction, between two queries) emits
      // 'error' on its client, which the pool only listens to while the client is idle: unheard, it
      // would end the process. The query or transaction using it fails on its own and the request
      // answers 503 database_unavailable (SECURITY 34).
      client.on('error', () => {});
    });
    try {
      const client = await pool.connect();
      client.release();
    } catch (err) {
      await pool.end().catch(() => {});
      const url = new URL(config.databaseUrl);
      throw new ConfigError('DATABASE_URL', `cannot connect to PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}: ${describePgError(err)}`);
    }
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return { db, engine: 'postgres', close: () => db.destroy() };
  }

  const dbDir = path.join(config.dataDir, 'db');
  const unlock = lockDataDir(config.dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    // The knowledge base's typo-tolerant search (pg_trgm) and accent folding (unaccent).
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const pglite = await PGlite.create(dbDir, { extensions: { pg_trgm, unaccent } });
    const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      engine: 'pglite',
      close: async () => {
        await db.destroy();
        await pglite.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** True when the database answers a trivial query. */
export async function ping(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
