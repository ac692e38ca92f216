import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseBusyError, PGliteDialect } from './pglite-dialect.js';

let pg: PGlite;
let db: Kysely<unknown>;

beforeAll(async () => {
  pg = await PGlite.create();
  db = new Kysely<unknown>({ dialect: new PGliteDialect(pg, { acquireTimeoutMs: 300 }) });
}, 60_000); // starting the embedded database takes seconds on a busy machine
afterAll(async () => {
  await db.destroy();
  await pg.close();
});

describe('PGliteDialect', () => {
  it('queues users of its one connection and runs transactions', async () => {
    const results = await Promise.all([1, 2, 3].map((n) => sql<{ n: number }>`select ${n}::int as n`.execute(db)));
    expect(results.map((r) => r.rows[0].n)).toEqual([1, 2, 3]);
    const inside = await db.transaction().execute(async (trx) => (await sql<{ n: number }>`select 42::int as n`.execute(trx)).rows[0].n);
    expect(inside).toBe(42);
  });

  it('fails with a clear error, instead of hanging, when a transaction callback queries the database handle', async () => {
    await expect(db.transaction().execute(async () => sql`select 1`.execute(db))).rejects.toBeInstanceOf(EmbeddedDatabaseBusyError);
    // …and the connection is usable again afterwards.
    expect((await sql<{ n: number }>`select 7::int as n`.execute(db)).rows[0].n).toBe(7);
  });
});
