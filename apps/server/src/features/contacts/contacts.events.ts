/**
 * contact.updated: written in the transaction that changed a contact, so webhooks (and open
 * agent apps) hear of it once it is committed, never of a change that was rolled back. The payload
 * is the contact as the API shows it now, what changed, and for a merge the contact merged into it.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { recordEvent } from '../../core/outbox.js';
import { CONTACT_COLUMNS, presentContact } from './contacts.presenter.js';

/** What can change about a contact: its fields, its identities (addresses and ids it is known by), or another contact merged into it. */
export type ContactChange = 'name' | 'email' | 'phone' | 'company' | 'identities' | 'merged';

export async function recordContactUpdated(trx: Transaction<DB>, accountId: string, contactId: string, changes: readonly ContactChange[], extra: { merged_contact_id?: string } = {}): Promise<void> {
  if (!changes.length) return;
  const row = await scoped(trx, accountId).selectFrom('contacts').select(CONTACT_COLUMNS).where('id', '=', contactId).executeTakeFirst();
  if (!row) return;
  await recordEvent(trx, accountId, 'contact.updated', { contact: presentContact(row), changes: [...new Set(changes)], ...extra });
}

/** The fields whose values differ between two states of a contact. */
export function changedFields(before: Partial<Record<'name' | 'email' | 'phone' | 'company', string | null>>, after: Partial<Record<'name' | 'email' | 'phone' | 'company', string | null>>): ContactChange[] {
  return (['name', 'email', 'phone', 'company'] as const).filter((k) => k in after && (after[k] ?? null) !== (before[k] ?? null));
}
