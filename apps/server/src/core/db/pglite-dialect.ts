/**
 * Kysely dialect for PGlite (Postgres compiled to WASM). PGlite is a single connection, so the
 * driver hands it out to one user at a time: a transaction holds it until commit or rollback.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

const ACQUIRE_TIMEOUT_MS = 30_000;


export class EmbeddedDatabaseBusyError extends Error {
  constructor(ms: number) {
    super(
      `waited ${ms / 1000} s for the embedded database's only connection; a query inside a transaction probably used the database handle instead of the transaction's`,
    );
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

const BYTEA = 17;

/**
 * bytea parameters as the hex text PGlite sends them, made by Buffer's native encoder: PGlite's
 * own builds the string one byte at a time, which makes storing a file of a few MB take seconds.
 */
function byteaParameter(value: unknown): string {
  if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
}
const SERIALIZERS = { [BYTEA]: byteaParameter };

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Parameterless SQL may hold several statements (migrations): exec runs them all.
    const result =
      compiled.parameters.length === 0
        ? ((await this.pg.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[], { serializers: SERIALIZERS });
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      numAffectedRows: affected === undefined ? undefined : BigInt(affected),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on the embedded database');
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  constructor(
    pg: PGlite,
    private readonly acquireTimeoutMs: number,
  ) {
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.queue = mine;
    // Waiting this long means a query was sent on the database handle from inside a transaction
    // that holds the one connection: say so instead of hanging forever.
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EmbeddedDatabaseBusyError(this.acquireTimeoutMs)), this.acquireTimeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([previous, stuck]);
    } catch (err) {
      // Give up our place in the queue without blocking those behind us.
      void previous.then(release);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.release = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  constructor(
    private readonly pg: PGlite,
    private readonly options: { acquireTimeoutMs?: number } = {},
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg, this.options.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
