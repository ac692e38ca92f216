import type { Role } from '../db/schema.js';

export const roles: readonly Role[] = ['agent', 'admin', 'owner'];
const rank: Record<Role, number> = { agent: 1, admin: 2, owner: 3 };

export const atLeast = (role: Role | undefined, needed: Role): boolean => !!role && rank[role] >= rank[needed];
export const lowerOf = (a: Role, b: Role): Role => (rank[a] <= rank[b] ? a : b);
