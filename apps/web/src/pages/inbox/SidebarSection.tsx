import { Box, Divider, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A section of the customer sidebar: a rule, then a small uppercase heading, as a named region. */
export function SidebarSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={title}>
      <Divider mb="sm" />
      <Title order={3} size="xs" tt="uppercase" c="dimmed" fw={700} mb="xs" style={{ letterSpacing: 0.5 }}>
        {title}
      </Title>
      {children}
    </Box>
  );
}
