/**
 * Whether a channel's servers work, as its last use found (an email inbox's IMAP or SMTP server,
 * an API inbox's webhook receiver); shown in settings and in the inbox.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../core/context.js';
import type { ConnectionPart } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';

/**
 * Records what the last use of a server found. A success clears only a failure of the same
 * server; the row is written only when something changed, so a healthy channel costs nothing.
 */
export async function setConnection(ctx: AppContext, accountId: string, inboxId: string, status: 'ok' | 'failing', error: string | null, part: ConnectionPart): Promise<void> {
  const ws = scoped(ctx.db, accountId);
  let q = ws
    .updateTable('inboxes')
    .set({ connection_status: status, connection_error: error, connection_part: status === 'ok' ? null : part, connection_checked_at: sql<Date>`now()` })
    .where('id', '=', inboxId);
  q =
    status === 'ok'
      ? q.where((eb) => eb.or([eb('connection_status', '!=', 'ok'), eb('connection_checked_at', 'is', null)])).where((eb) => eb.or([eb('connection_part', 'is', null), eb('connection_part', '=', part)]))
      : q.where((eb) => eb.or([eb('connection_status', '!=', 'failing'), eb('connection_error', 'is distinct from', error)]));
  await q.execute();
}
