import { Container } from '@mantine/core';
import type { ReactNode } from 'react';

/** Standard padded content area for a page in the app shell. */
export function Page({ children, size = 'lg' }: { children: ReactNode; size?: 'md' | 'lg' | 'xl' }) {
  return (
    <Container size={size} px={{ base: 'md', sm: 'xl' }} py={{ base: 'md', sm: 'xl' }}>
      {children}
    </Container>
  );
}
