import { Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useMe } from '../api/queries';
import { NoWorkspace } from './NoWorkspace';
import { ErrorState } from './QueryStates';

/** Renders children only when signed in; otherwise sends the visitor to /login. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <Center h="100dvh">
        <Stack align="center" gap="sm">
          <Loader type="dots" />
          <Text size="sm" c="dimmed">
            Loading your workspace…
          </Text>
        </Stack>
      </Center>
    );
  }
  if (me.isError) {
    return (
      <Center h="100dvh" p="md">
        <ErrorState title="Rapport is not reachable" error={me.error} onRetry={() => void me.refetch()} />
      </Center>
    );
  }
  if (!me.data) {
    const next = location.pathname + location.search;
    const to = next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
    return <Navigate to={to} replace />;
  }
  if (!me.data.workspace || !me.data.role) return <NoWorkspace me={me.data} />;
  return <>{children}</>;
}

/** For the sign-in pages: a signed-in visitor goes straight to the app. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const me = useMe();
  if (me.data) return <Navigate to="/inbox" replace />;
  return <>{children}</>;
}
