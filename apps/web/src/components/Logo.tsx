import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';

export function Logo({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const large = size === 'lg';
  return (
    <Group gap={8} wrap="nowrap">
      <ThemeIcon size={large ? 36 : 28} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'violet', deg: 135 }}>
        <IconMessages size={large ? 20 : 16} stroke={2} />
      </ThemeIcon>
      <Text fw={700} size={large ? 'xl' : 'lg'} style={{ letterSpacing: '-0.01em' }}>
        Rapport
      </Text>
    </Group>
  );
}
