/**
 * One customer, one contact: likely duplicates (the same email or phone reached us on two
 * channels, or a chat visitor who later wrote by email) are suggested, and an agent merges them.
 * Merging keeps everything: every conversation, message, file and identity of the merged contact
 * moves to the kept one, empty fields are filled from it, the audit log says who did it, and
 * webhooks hear contact.updated for the kept one (with the merged one's id).
 */
import { sql, type Kysely } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { DB } from '../../../core/db/schema.js';
import { scoped } from '../../../core/db/tenant.js';
import { AppError, notFound } from '../../../core/errors.js';
import { recordAudit } from '../../accounts/audit.js';
import { changedFields, recordContactUpdated } from '../contacts.events.js';

export interface DuplicateSuggestion {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  reasons: string[];
}

/** Digits of a phone number, with a leading + kept: "+44 20 7946-0321" and "+442079460321" match. */
const phoneKey = (phone: string) => phone.replace(/[^\d+]/g, '').replace(/(?!^)\+/g, '');

/** Other contacts that are probably this person: same email (on the contact or as an identity), same phone, or the same full name. */
export async function findDuplicates(db: Kysely<DB>, accountId: string, contactId: string): Promise<DuplicateSuggestion[]> {
  const ws = scoped(db, accountId);
  const me = await ws.selectFrom('contacts').select(['id', 'name', 'email', 'phone']).where('id', '=', contactId).executeTakeFirst();
  if (!me) throw notFound('Contact');
  const myEmails = new Set(
    [me.email, ...(await ws.selectFrom('contact_identities').select('value').where('contact_id', '=', contactId).where('kind', '=', 'email').execute()).map((r) => r.value)]
      .filter((e): e is string => Boolean(e))
      .map((e) => e.toLowerCase()),
  );
  const myPhone = me.phone ? phoneKey(me.phone) : null;
  const name = me.name.trim().toLowerCase();
  // A name alone is a weak hint: only full names (two words or more) count.
  const byName = name.includes(' ') && name.length >= 5;
  const emails = [...myEmails];
  // Contacts that hold one of these addresses as an identity (an email that came in, say).
  const byIdentity = new Set(
    emails.length ? (await ws.selectFrom('contact_identities').select('contact_id').where('kind', '=', 'email').where('value', 'in', emails).where('contact_id', '!=', contactId).execute()).map((r) => r.contact_id) : [],
  );
  const candidates = await ws
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone'])
    .where('id', '!=', contactId)
    .where((eb) =>
      eb.or([
        ...(emails.length ? [eb(sql`lower(email)`, 'in', emails)] : []),
        ...(byIdentity.size ? [eb('id', 'in', [...byIdentity])] : []),
        ...(myPhone && myPhone.length >= 6 ? [eb(sql`regexp_replace(phone, '[^0-9+]', '', 'g')`, '=', myPhone)] : []),
        ...(byName ? [eb(sql`lower(trim(name))`, '=', name)] : []),
        eb.val(false),
      ]),
    )
    .orderBy('created_at')
    .limit(20)
    .execute();
  return candidates.map((c) => {
    const reasons: string[] = [];
    if ((c.email && myEmails.has(c.email.toLowerCase())) || byIdentity.has(c.id)) reasons.push('the same email address');
    if (myPhone && c.phone && phoneKey(c.phone) === myPhone) reasons.push('the same phone number');
    if (byName && c.name.trim().toLowerCase() === name) reasons.push('the same name');
    return { ...c, reasons };
  });
}

/** Moves everything of `mergedId` onto `keptId` and deletes the merged contact; one transaction. */
export async function mergeContacts(db: Kysely<DB>, accountId: string, keptId: string, mergedId: string, request: FastifyRequest): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ws = scoped(trx, accountId);
    const both = await ws.selectFrom('contacts').selectAll('contacts').where('id', 'in', [keptId, mergedId]).orderBy('id').forUpdate().execute();
    const kept = both.find((c) => c.id === keptId);
    const merged = both.find((c) => c.id === mergedId);
    if (!kept) throw notFound('Contact');
    if (keptId === mergedId) throw new AppError('validation_failed', 'A contact cannot be merged into itself.', [{ field: 'contact_id', message: 'is this contact' }]);
    if (!merged) throw new AppError('invalid_reference', 'The contact to merge does not exist in this workspace.', [{ field: 'contact_id', message: 'is not a contact of this workspace' }]);

    await ws.updateTable('conversations').set({ contact_id: keptId }).where('contact_id', '=', mergedId).execute();
    await ws.updateTable('messages').set({ sender_contact_id: keptId }).where('sender_contact_id', '=', mergedId).execute();
    await ws.updateTable('attachments').set({ uploaded_by_contact_id: keptId }).where('uploaded_by_contact_id', '=', mergedId).execute();
    // Identities move, except one the kept contact already has (the same email twice is one identity).
    const identities = await sql`
      update contact_identities m set contact_id = ${keptId}
      where m.account_id = ${accountId} and m.contact_id = ${mergedId}
        and not exists (select 1 from contact_identities k where k.account_id = ${accountId} and k.contact_id = ${keptId}
          and k.kind = m.kind and k.value = m.value and k.inbox_id is not distinct from m.inbox_id)`.execute(trx);
    const filled = { name: kept.name.trim() ? kept.name : merged.name, email: kept.email ?? merged.email, phone: kept.phone ?? merged.phone, company: kept.company ?? merged.company };
    await ws
      .updateTable('contacts')
      .set({
        ...filled,
        attributes: JSON.stringify({ ...merged.attributes, ...kept.attributes }),
        last_seen_at: [kept.last_seen_at, merged.last_seen_at].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null,
      })
      .where('id', '=', keptId)
      .execute();
    await ws.deleteFrom('contacts').where('id', '=', mergedId).execute();
    const moved = Number(identities.numAffectedRows ?? 0) > 0 ? (['identities'] as const) : [];
    await recordContactUpdated(trx, accountId, keptId, ['merged', ...changedFields(kept, filled), ...moved], { merged_contact_id: mergedId });
    await recordAudit(trx, accountId, { action: 'contact.merged', targetType: 'contact', targetId: keptId, metadata: { merged_contact_id: mergedId, merged_name: merged.name, merged_email: merged.email } }, request);
  });
}
