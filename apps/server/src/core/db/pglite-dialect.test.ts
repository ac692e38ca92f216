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

  it('stores and reads back bytea parameters byte for byte, and refuses a value that is not bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset + 3, 1000);
    const rows = (await sql<{ whole: Uint8Array; part: Uint8Array; n: number }>`select ${bytes}::bytea as whole, ${view}::bytea as part, length(${Buffer.alloc(0)}::bytea) as n`.execute(db)).rows;
    expect(Buffer.from(rows[0].whole).equals(bytes)).toBe(true);
    expect(Buffer.from(rows[0].part).equals(Buffer.from(view))).toBe(true);
    expect(rows[0].n).toBe(0);
    await expect(sql`select ${'not bytes'}::bytea`.execute(db)).rejects.toThrow(/Invalid input for bytea/);
  });

  it('fails with a clear error, instead of hanging, when a transaction callback queries the database handle', async () => {
    await expect(db.transaction().execute(async () => sql`select 1`.execute(db))).rejects.toBeInstanceOf(EmbeddedDatabaseBusyError);
    // …and the connection is usable again afterwards.
    expect((await sql<{ n: number }>`select 7::int as n`.execute(db)).rows[0].n).toBe(7);
  });
});
