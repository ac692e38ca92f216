/** Who may change whose role or membership: admins manage agents and admins; only owners touch owners. */
import type { Role } from '../../core/db/schema.js';
import { AppError } from '../../core/errors.js';
import { atLeast } from '../../core/auth/roles.js';

/** Throws unless `actor` may give `role` to someone (or create a token/invitation with it). */
export function assertMayGrant(actor: Role, role: Role): void {
  if (!atLeast(actor, role)) throw new AppError('forbidden', `Your role (${actor}) cannot grant the ${role} role.`);
}

/** Throws unless `actor` may change or remove a member whose role is `target`. */
export function assertMayManage(actor: Role, target: Role): void {
  if (target === 'owner' && actor !== 'owner') throw new AppError('forbidden', 'Only an owner can change or remove an owner.');
}
