import type { Role } from '../../api/types';
import { atLeast, roleLabels } from '../../lib/session';

/** Role choices the current user may hand out: never above their own role. */
export function roleOptions(mine: Role): { value: Role; label: string }[] {
  const roles: Role[] = ['agent', 'admin', 'owner'];
  return roles.filter((r) => atLeast(mine, r)).map((r) => ({ value: r, label: roleLabels[r] }));
}

export const roleDescriptions: Record<Role, string> = {
  agent: 'Works conversations and contacts',
  admin: 'Also manages teammates, invitations and settings',
  owner: 'Full control, including billing and deleting the workspace',
};
