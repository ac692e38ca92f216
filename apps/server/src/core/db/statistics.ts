/**
 * Planner statistics for the embedded database. On PostgreSQL, autovacuum keeps every table's
 * statistics current. PGlite runs no background workers, so without this its planner would know
 * nothing about the data (how many rows, which values are common) and could pick a scan of a
 * whole table where an index probe would do. So on PGlite the tables are analysed soon after start
 * and then every quarter of an hour: one table per statement, so the one engine pauses for a
 * moment per table, never for the whole database at once.
 */
import { sql } from 'kysely';
import type { Database } from './index.js';
import { startSweeper, type Sweeper } from '../sweeper.js';

export interface StatisticsOptions {
  /** Delay before the first pass (default one minute: start-up and the demo seed come first). */
  firstMs?: number;
  /** Time between passes (default 15 minutes). */
  everyMs?: number;
  onError: (err: unknown) => void;
}

/** The tables of the product's own schemas, each analysed on its own. */
export async function analyzeTables(db: Database): Promise<number> {
  const tables = await sql<{ schemaname: string; tablename: string }>`
    select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by schemaname, tablename`.execute(db);
  for (const t of tables.rows) await sql`analyze ${sql.table(`${t.schemaname}.${t.tablename}`)}`.execute(db);
  return tables.rows.length;
}

/** Keeps the embedded database's statistics current; does nothing on PostgreSQL (autovacuum does). */
export function startStatistics(db: Database, engine: 'pglite' | 'postgres', options: StatisticsOptions): Sweeper | undefined {
  if (engine !== 'pglite') return undefined;
  const sweeper = startSweeper(async () => void (await analyzeTables(db)), { intervalMs: options.everyMs ?? 15 * 60_000, onError: options.onError });
  const first = setTimeout(sweeper.kick, options.firstMs ?? 60_000);
  first.unref();
  return {
    kick: sweeper.kick,
    async stop() {
      clearTimeout(first);
      await sweeper.stop();
    },
  };
}
