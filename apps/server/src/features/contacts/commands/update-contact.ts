/**
 * An agent corrects a contact's name, email, phone or company. Values are checked as every
 * channel checks them (an email address, a phone number in international form); an empty company,
 * or null, clears it. The change and its contact.updated event are one transaction; a request that
 * changes nothing writes nothing.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { checkPhone } from '../../channels/api/api.contacts.js';
import { checkAddress, headerText } from '../../channels/email/addresses.js';
import { changedFields, recordContactUpdated } from '../contacts.events.js';

export interface ContactPatch {
  name?: string;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
}

type CheckedPatch = Partial<Record<'name' | 'email' | 'phone' | 'company', string | null>>;

/** The patch as it will be stored, or a 400 naming every field that is wrong. */
export function checkContactPatch(patch: ContactPatch): CheckedPatch {
  const out: CheckedPatch = {};
  const problems: Array<{ field: string; message: string }> = [];
  if (patch.name !== undefined) out.name = headerText(patch.name, 120);
  if (patch.company !== undefined) out.company = patch.company === null ? null : headerText(patch.company, 120) || null;
  if (patch.email !== undefined) {
    const checked = patch.email === null || !patch.email.trim() ? null : checkAddress(patch.email);
    if (checked && !checked.ok) problems.push({ field: 'email', message: checked.message });
    else out.email = checked ? checked.address : null;
  }
  if (patch.phone !== undefined) {
    const checked = patch.phone === null || !patch.phone.trim() ? null : checkPhone(patch.phone);
    if (checked && !checked.ok) problems.push({ field: 'phone', message: checked.message });
    else out.phone = checked ? checked.phone : null;
  }
  if (!problems.length && !Object.keys(out).length) problems.push({ field: 'body', message: 'give at least one of name, email, phone and company' });
  if (problems.length) throw new AppError('validation_failed', `The contact's ${problems[0].field === 'body' ? 'change is empty' : `${problems[0].field} ${problems[0].message}`}.`, problems);
  return out;
}

export async function updateContact(db: Kysely<DB>, accountId: string, contactId: string, patch: ContactPatch): Promise<void> {
  const values = checkContactPatch(patch);
  await db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const before = await ws.selectFrom('contacts').select(['name', 'email', 'phone', 'company']).where('id', '=', contactId).forUpdate().executeTakeFirst();
    if (!before) throw notFound('Contact');
    const changes = changedFields(before, values);
    if (!changes.length) return;
    await ws.updateTable('contacts').set(Object.fromEntries(changes.map((k) => [k, values[k as keyof CheckedPatch]]))).where('id', '=', contactId).execute();
    await recordContactUpdated(trx, accountId, contactId, changes);
  });
}
