/**
 * The customer an API source names (a name, an email address, a phone number), checked and
 * resolved to one contact across channels: the contact that has this email identity (the same
 * one an email from that address reaches), else the one with this phone identity, else one an
 * agent gave this address, else a new contact. Identities the request gives that nobody holds
 * yet are added to that contact; one that belongs to another contact is left alone (two contacts
 * are never merged on a request's word).
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { checkAddress, headerText } from '../email/addresses.js';
import { recordContactUpdated, type ContactChange } from '../../contacts/contacts.events.js';

export interface ContactInput {
  name?: string;
  email?: string;
  phone?: string;
}

export interface CheckedContact {
  name: string;
  email: string | null;
  phone: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** E.164: a plus, a country code and the number, 8 to 15 digits; spaces, dots, dashes and brackets are dropped, a leading 00 is a plus. */
export function checkPhone(raw: string): { ok: true; phone: string } | { ok: false; message: string } {
  const compact = raw.trim().replace(/[\s().-]/g, '').replace(/^00/, '+');
  if (!/^\+[1-9]\d{7,14}$/.test(compact)) return { ok: false, message: 'must be an international number such as +4915123456789 (a plus, the country code, then the number)' };
  return { ok: true, phone: compact };
}

/** The contact fields as they will be stored, and every problem with them at once. */
export function checkContact(input: ContactInput, field = 'contact'): { contact: CheckedContact; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = headerText(input.name ?? '', 120);
  let email: string | null = null;
  let phone: string | null = null;
  if (input.email !== undefined) {
    const checked = checkAddress(input.email);
    if (checked.ok) email = checked.address;
    else problems.push({ field: `${field}.email`, message: checked.message });
  }
  if (input.phone !== undefined) {
    const checked = checkPhone(input.phone);
    if (checked.ok) phone = checked.phone;
    else problems.push({ field: `${field}.phone`, message: checked.message });
  }
  if (!name && input.email === undefined && input.phone === undefined) problems.push({ field, message: 'needs a name, an email or a phone' });
  return { contact: { name, email, phone }, problems };
}

type Kind = 'email' | 'phone';

const holderOf = (trx: Transaction<DB>, accountId: string, kind: Kind, value: string) =>
  scoped(trx, accountId).selectFrom('contact_identities').select('contact_id').where('kind', '=', kind).where('value', '=', value).where('inbox_id', 'is', null).executeTakeFirst();

/**
 * The contact, inside the caller's transaction. Two requests that make the same new contact at
 * once: the unique index on identities fails the second, whose caller tries again and finds it.
 */
export async function resolveContact(trx: Transaction<DB>, accountId: string, c: CheckedContact): Promise<string> {
  const ws = scoped(trx, accountId);
  const byEmail = c.email ? await holderOf(trx, accountId, 'email', c.email) : undefined;
  const byPhone = !byEmail && c.phone ? await holderOf(trx, accountId, 'phone', c.phone) : undefined;
  const listed = !byEmail && !byPhone && c.email ? await ws.selectFrom('contacts').select('id').where(sql`lower(email)`, '=', c.email).orderBy('created_at').limit(1).executeTakeFirst() : undefined;
  const known = byEmail?.contact_id ?? byPhone?.contact_id ?? listed?.id;

  if (!known) {
    const created = await ws
      .insertInto('contacts', { name: c.name || c.email?.split('@')[0] || c.phone || 'Customer', email: c.email, phone: c.phone })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Plain inserts: a concurrent twin's identity makes this fail, and the caller tries again.
    for (const [kind, value] of identities(c)) await ws.insertInto('contact_identities', { contact_id: created.id, kind, value, inbox_id: null, verified: false }).execute();
    return created.id;
  }
  const changes: ContactChange[] = [];
  // The request says who the customer is, not that they proved it: the identities stay unverified.
  for (const [kind, value] of identities(c)) {
    if (await holderOf(trx, accountId, kind, value)) continue;
    const added = await ws.insertInto('contact_identities', { contact_id: known, kind, value, inbox_id: null, verified: false }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(added.numInsertedOrUpdatedRows ?? 0) > 0) changes.push('identities');
  }
  // Fill what the contact lacks; never overwrite what an agent or an earlier request set.
  if (c.email && Number((await ws.updateTable('contacts').set({ email: c.email }).where('id', '=', known).where('email', 'is', null).executeTakeFirst()).numUpdatedRows) > 0) changes.push('email');
  if (c.phone && Number((await ws.updateTable('contacts').set({ phone: c.phone }).where('id', '=', known).where('phone', 'is', null).executeTakeFirst()).numUpdatedRows) > 0) changes.push('phone');
  await recordContactUpdated(trx, accountId, known, changes);
  return known;
}

const identities = (c: CheckedContact): Array<[Kind, string]> => [...(c.email ? [['email', c.email] as [Kind, string]] : []), ...(c.phone ? [['phone', c.phone] as [Kind, string]] : [])];
