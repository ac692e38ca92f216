import { Divider, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SettingsCardProps {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  danger?: boolean;
}

/** A titled section of a settings page. */
export function SettingsCard({ title, description, children, danger }: SettingsCardProps) {
  return (
    <Paper withBorder p={0} style={danger ? { borderColor: 'var(--mantine-color-red-outline)' } : undefined}>
      <Stack gap={4} p={{ base: 'md', sm: 'lg' }}>
        <Title order={2} size="h4">
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      <Divider />
      <Stack p={{ base: 'md', sm: 'lg' }} gap="md">
        {children}
      </Stack>
    </Paper>
  );
}
