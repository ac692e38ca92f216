import type { Role } from '../../api/types';
import { roleLabels } from '../../lib/session';

/** Role choices the current user may hand out (only owners can make owners). */
export function roleOptions(isOwner: boolean): { value: Role; label: string }[] {
  const roles: Role[] = isOwner ? ['agent', 'admin', 'owner'] : ['agent', 'admin'];
  return roles.map((r) => ({ value: r, label: roleLabels[r] }));
}

export const roleDescriptions: Record<Role, string> = {
  agent: 'Works conversations and contacts',
  admin: 'Also manages teammates, invitations and settings',
  owner: 'Full control, including billing and deleting the workspace',
};
