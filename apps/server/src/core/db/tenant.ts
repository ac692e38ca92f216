/**
 * Tenancy: every workspace-owned row carries account_id, and every query of such a table must
 * filter on it. `scoped(db, accountId)` is the way features read and write those tables; the
 * TenantGuardPlugin makes any other query on them throw, so an unscoped query does not slip by.
 * The rare query that must cross workspaces (sign-in: "which workspaces is this user in?")
 * says so with `unscoped(db)`.
 */
import {
  sql,
  type DeleteQueryBuilder,
  type DeleteResult,
  type Insertable,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryBuilder,
  type Transaction,
  type UnknownRow,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely';
import { tenantTables, type DB, type TenantTable } from './schema.js';

const TENANT = new Set<string>(tenantTables);

export class UnscopedQueryError extends Error {
  constructor(table: string, kind: string) {
    super(`${kind} on workspace table "${table}" without an account_id condition; use scoped(db, accountId)`);
    this.name = 'UnscopedQueryError';
  }
}

type Node = OperationNode & Record<string, unknown>;

function tableNames(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const n = node as Node;
  if (n.kind === 'TableNode') {
    const table = n.table as { identifier: { name: string } };
    return [table.identifier.name];
  }
  if (n.kind === 'AliasNode') return tableNames(n.node);
  if (n.kind === 'FromNode') return (n.froms as unknown[]).flatMap(tableNames);
  return [];
}

function mentionsAccountId(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(mentionsAccountId);
  const n = node as Node;
  if (n.kind === 'IdentifierNode' && n.name === 'account_id') return true;
  if (n.kind === 'ColumnNode') return mentionsAccountId(n.column);
  return Object.values(n).some((v) => typeof v === 'object' && mentionsAccountId(v));
}

function check(node: RootOperationNode): void {
  const n = node as unknown as Node;
  switch (n.kind) {
    case 'SelectQueryNode':
    case 'UpdateQueryNode':
    case 'DeleteQueryNode': {
      const tables = [
        ...tableNames(n.from),
        ...tableNames(n.table),
        ...((n.joins as Node[] | undefined) ?? []).map((j) => tableNames(j.table)).flat(),
      ];
      const tenant = tables.find((t) => TENANT.has(t));
      if (tenant && !mentionsAccountId(n.where) && !mentionsAccountId(n.joins)) {
        throw new UnscopedQueryError(tenant, n.kind.replace('QueryNode', '').toLowerCase());
      }
      return;
    }
    case 'InsertQueryNode': {
      const [table] = tableNames(n.into);
      if (table && TENANT.has(table) && !mentionsAccountId(n.columns)) throw new UnscopedQueryError(table, 'insert');
      return;
    }
    default:
      return;
  }
}

export class TenantGuardPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    check(args.node);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

type Executor = Kysely<DB> | Transaction<DB>;

/** A query that deliberately spans workspaces. Keep these few, and say why at the call site. */
export function unscoped<E extends Executor>(db: E): E {
  return db.withoutPlugins() as E;
}

type InsertRow<T extends TenantTable> = Omit<Insertable<DB[T]>, 'account_id'>;

export interface Scoped {
  readonly accountId: string;
  selectFrom<T extends TenantTable>(table: T): SelectQueryBuilder<DB, T, object>;
  updateTable<T extends TenantTable>(table: T): UpdateQueryBuilder<DB, T, T, UpdateResult>;
  deleteFrom<T extends TenantTable>(table: T): DeleteQueryBuilder<DB, T, DeleteResult>;
  insertInto<T extends TenantTable>(table: T, rows: InsertRow<T> | InsertRow<T>[]): InsertQueryBuilder<DB, T, InsertResult>;
}

/** Reads and writes of workspace tables, always filtered by (and written with) this account id. */
export function scoped(db: Executor, accountId: string): Scoped {
  const owned = (table: string) => sql.ref(`${table}.account_id`);
  return {
    accountId,
    selectFrom: (table) => db.selectFrom(table as TenantTable).where(owned(table), '=', accountId) as never,
    updateTable: (table) => db.updateTable(table as TenantTable).where(owned(table), '=', accountId) as never,
    deleteFrom: (table) => db.deleteFrom(table as TenantTable).where(owned(table), '=', accountId) as never,
    insertInto: (table, rows) => {
      const list = (Array.isArray(rows) ? rows : [rows]).map((r) => ({ ...r, account_id: accountId }));
      return db.insertInto(table as TenantTable).values(list as never) as never;
    },
  };
}
