import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGliteDialect } from './pglite-dialect.js';
import { startStatistics } from './statistics.js';
import type { Database } from './index.js';

let pg: PGlite;
let db: Kysely<unknown>;

beforeAll(async () => {
  pg = await PGlite.create();
  db = new Kysely<unknown>({ dialect: new PGliteDialect(pg) });
  await sql`create schema other`.execute(db);
  await sql`create table tickets (id int primary key, status text not null)`.execute(db);
  await sql`create table other.jobs (id int primary key)`.execute(db);
  await sql`insert into tickets select g, case when g % 100 = 0 then 'open' else 'resolved' end from generate_series(1, 5000) g`.execute(db);
  await sql`insert into other.jobs select generate_series(1, 300)`.execute(db);
}, 60_000);
afterAll(async () => {
  await db.destroy();
  await pg.close();
});

const statsOf = async (table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from pg_stats where schemaname || '.' || tablename = ${table}`.execute(db)).rows[0].n;
const rowsOf = async (table: string) => (await sql<{ n: number }>`select reltuples::int as n from pg_class where oid = ${table}::regclass`.execute(db)).rows[0].n;

describe('embedded database statistics', () => {
  it('analyses every table of every schema, so the planner knows how many rows there are and which values are common', async () => {
    expect(await statsOf('public.tickets')).toBe(0);
    const errors: unknown[] = [];
    const keeper = startStatistics(db as unknown as Database, 'pglite', { firstMs: 0, everyMs: 60_000, onError: (err) => errors.push(err) })!;
    for (let i = 0; i < 100 && (await statsOf('other.jobs')) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await keeper.stop();
    expect(errors).toEqual([]);
    expect(await rowsOf('public.tickets')).toBe(5000);
    expect(await rowsOf('other.jobs')).toBe(300);
    const common = (await sql<{ vals: string }>`select most_common_vals::text as vals from pg_stats where tablename = 'tickets' and attname = 'status'`.execute(db)).rows[0].vals;
    expect(common).toBe('{resolved,open}');
  });

  it('leaves PostgreSQL to its own autovacuum', () => {
    expect(startStatistics(db as unknown as Database, 'postgres', { firstMs: 0, onError: () => {} })).toBeUndefined();
  });
});
