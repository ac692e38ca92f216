import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { keys, useMe } from '../api/queries';
import type { Me, Role, Workspace } from '../api/types';

export const roleLabels: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };
export const roleColors: Record<Role, string> = { owner: 'violet', admin: 'indigo', agent: 'gray' };

export function isAdminRole(role: Role | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

export interface Session extends Me {
  workspace: Workspace;
  role: Role;
  isAdmin: boolean;
  isOwner: boolean;
}

/** The signed-in session with a current workspace; only use inside the authenticated shell. */
export function useSession(): Session {
  const { data } = useMe();
  if (!data?.workspace || !data.role) throw new Error('useSession used outside the authenticated app');
  return { ...data, workspace: data.workspace, role: data.role, isAdmin: isAdminRole(data.role), isOwner: data.role === 'owner' };
}

/** Whether a role is at least another (owner > admin > agent). */
export function atLeast(role: Role, min: Role): boolean {
  const rank: Record<Role, number> = { agent: 0, admin: 1, owner: 2 };
  return rank[role] >= rank[min];
}

/** Signs out (this session, or every session of the user) and returns to /login. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useCallback(
    async (everywhere = false) => {
      try {
        await api.post(everywhere ? '/auth/logout-all' : '/auth/logout');
      } finally {
        queryClient.clear();
        queryClient.setQueryData(keys.me, null);
        await navigate('/login', { replace: true });
      }
    },
    [queryClient, navigate],
  );
}
