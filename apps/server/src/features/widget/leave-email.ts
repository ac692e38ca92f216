/**
 * A visitor leaves an email to be answered at (the widget offers it while the team is away). It is
 * kept on the visitor's own contact as unverified: never used to find, merge into or reveal a
 * contact that has this email (SECURITY 26), and not the contact's email until someone verifies it.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../core/db/schema.js';
import { scoped } from '../../core/db/tenant.js';
import { AppError } from '../../core/errors.js';
import type { Visitor } from './visitors.js';

// One address: a local part, "@", and a domain with at least one dot (as mail servers accept).
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export interface LeftEmail {
  email: string;
  name: string | null;
  left_at: string;
}

export async function leaveEmail(db: Kysely<DB>, visitor: Visitor, input: { email: string; name?: string }): Promise<LeftEmail> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new AppError('invalid_email', undefined, [{ field: 'email', message: 'is not an email address' }]);
  const name = input.name?.trim().slice(0, 120) || null;
  const left: LeftEmail = { email, name, left_at: new Date().toISOString() };
  await scoped(db, visitor.accountId)
    .updateTable('contacts')
    .set({ attributes: sql`attributes || ${JSON.stringify({ left_email: left })}::jsonb` as never })
    .where('id', '=', visitor.contactId)
    .execute();
  return left;
}
