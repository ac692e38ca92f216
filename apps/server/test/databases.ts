/** Fresh databases: one per test file on TEST_DATABASE_URL's server when it is set, and one per benchmark run. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh database on `server` (TEST_DATABASE_URL's by default), or undefined to use the embedded one. */
export async function freshDatabaseUrl(server = process.env.TEST_DATABASE_URL, prefix = 'rapport_test'): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (!server) return { url: undefined, drop: async () => {} };
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

