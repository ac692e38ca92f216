/** Applies pending migrations in one go, under an advisory lock so concurrent starts take turns. */
import { sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Database } from './index.js';

const LOCK_KEY = 727_278_001; // arbitrary, constant: "rapport migrations"

export async function migrate(db: Database): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists rapport_migrations (id text primary key, applied_at timestamptz not null default now())`.execute(conn);
      const done = new Set((await conn.selectFrom('rapport_migrations').select('id').execute()).map((r) => r.id));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await trx.insertInto('rapport_migrations').values({ id: m.id }).execute();
        });
        applied.push(m.id);
      }
      return applied;
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}

const STARTUP_LOCK_KEY = 727_278_002; // "rapport start-up": installing the job queue's tables

/**
 * Runs `fn` while no other node runs it (a session advisory lock on a connection of its own), for
 * start-up steps that are not safe to run twice at once, such as the job queue installing its
 * schema (two nodes starting together otherwise deadlock in its DDL). The embedded database has
 * one process and one connection: `fn` just runs.
 */
export async function exclusively<T>(db: Database, engine: 'pglite' | 'postgres', fn: () => Promise<T>): Promise<T> {
  if (engine === 'pglite') return fn();
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${STARTUP_LOCK_KEY})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.execute(conn);
    }
  });
}

/** True when every known migration has been applied (used by /readyz). */
export async function migrationsComplete(db: Database): Promise<boolean> {
  try {
    const rows = await db.selectFrom('rapport_migrations').select('id').execute();
    const done = new Set(rows.map((r) => r.id));
    return migrations.every((m) => done.has(m.id));
  } catch {
    return false;
  }
}
