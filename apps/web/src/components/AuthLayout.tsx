import { Box, Center, Container, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { Logo } from './Logo';
import classes from './AuthLayout.module.css';

interface AuthLayoutProps {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}

/** The centred card used by sign-in, password reset and invitation pages. */
export function AuthLayout({ title, subtitle, children, footer }: AuthLayoutProps) {
  useDocumentTitle(`${title} · Rapport`);
  return (
    <Box className={classes.root}>
      <Group justify="space-between" p="md">
        <Logo />
        <ColorSchemeToggle />
      </Group>
      <Center component="main" style={{ flex: 1 }} px="md" pb="xl">
        <Container size={420} w="100%" p={0}>
          <Stack gap="xs" mb="lg" ta="center">
            <Title order={1} size="h2">
              {title}
            </Title>
            {subtitle && (
              <Text c="dimmed" size="sm">
                {subtitle}
              </Text>
            )}
          </Stack>
          <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 'xl' }}>
            {children}
          </Paper>
          {footer && (
            <Text ta="center" size="sm" c="dimmed" mt="lg">
              {footer}
            </Text>
          )}
        </Container>
      </Center>
      <Text component="footer" ta="center" size="xs" c="dimmed" pb="md">
        Rapport · open-source customer service
      </Text>
    </Box>
  );
}
