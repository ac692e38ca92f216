import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { keys, useMe } from '../api/queries';
import type { Me, Role } from '../api/types';

export const roleLabels: Record<Role, string> = { owner: 'Owner', admin: 'Admin', agent: 'Agent' };
export const roleColors: Record<Role, string> = { owner: 'violet', admin: 'indigo', agent: 'gray' };

export function isAdminRole(role: Role | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** The signed-in session; only use inside the authenticated shell. */
export function useSession(): Me & { isAdmin: boolean; isOwner: boolean } {
  const { data } = useMe();
  if (!data) throw new Error('useSession used outside the authenticated app');
  return { ...data, isAdmin: isAdminRole(data.role), isOwner: data.role === 'owner' };
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
