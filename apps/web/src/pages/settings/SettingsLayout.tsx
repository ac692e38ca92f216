import { Box, EmptyState, Group, NativeSelect, NavLink, Stack, Text } from '@mantine/core';
import {
  IconBolt,
  IconBuilding,
  IconHistory,
  IconInbox,
  IconKey,
  IconLock,
  IconMailForward,
  IconMessageBolt,
  IconRobot,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
  IconWebhook,
  IconClock,
  IconClockExclamation,
  IconSparkles,
  type Icon,
  IconLifebuoy,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { Page } from '../../components/Page';
import { useSession } from '../../lib/session';

interface Section {
  path: string;
  label: string;
  icon: Icon;
  adminOnly?: boolean;
  group: 'Account' | 'Workspace';
}

export const settingsSections: Section[] = [
  { path: 'profile', label: 'Profile', icon: IconUserCircle, group: 'Account' },
  { path: 'workspace', label: 'Workspace', icon: IconBuilding, adminOnly: true, group: 'Workspace' },
  { path: 'users', label: 'Users', icon: IconUsers, group: 'Workspace' },
  { path: 'teams', label: 'Teams', icon: IconUsersGroup, group: 'Workspace' },
  { path: 'inboxes', label: 'Inboxes', icon: IconInbox, group: 'Workspace' },
  { path: 'invitations', label: 'Invitations', icon: IconMailForward, adminOnly: true, group: 'Workspace' },
  { path: 'tokens', label: 'API tokens', icon: IconKey, group: 'Workspace' },
  { path: 'webhooks', label: 'Webhooks', icon: IconWebhook, adminOnly: true, group: 'Workspace' },
  { path: 'audit-log', label: 'Audit log', icon: IconHistory, adminOnly: true, group: 'Workspace' },
  { path: 'automation', label: 'Automation', icon: IconRobot, adminOnly: true, group: 'Workspace' },
  { path: 'canned-responses', label: 'Canned responses', icon: IconMessageBolt, group: 'Workspace' },
  { path: 'macros', label: 'Macros', icon: IconBolt, group: 'Workspace' },
  { path: 'business-hours', label: 'Business hours', icon: IconClock, adminOnly: true, group: 'Workspace' },
  { path: 'sla-policies', label: 'SLA policies', icon: IconClockExclamation, adminOnly: true, group: 'Workspace' },
  { path: 'help-center', label: 'Help center', icon: IconLifebuoy, adminOnly: true, group: 'Workspace' },
  { path: 'ai-assist', label: 'AI assist', icon: IconSparkles, adminOnly: true, group: 'Workspace' },
];

export function SettingsLayout() {
  const { isAdmin } = useSession();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const sections = settingsSections.filter((s) => isAdmin || !s.adminOnly);
  const current = sections.find((s) => pathname.startsWith(`/settings/${s.path}`));

  return (
    <Page size="xl">
      <Box hiddenFrom="md" mb="lg">
        <NativeSelect
          label="Settings section"
          value={current?.path ?? ''}
          onChange={(e) => void navigate(`/settings/${e.currentTarget.value}`)}
          data={sections.map((s) => ({ value: s.path, label: `${s.group} · ${s.label}` }))}
        />
      </Box>
      <Group align="flex-start" gap="xl" wrap="nowrap">
        <Box component="nav" aria-label="Settings" visibleFrom="md" w={210} pos="sticky" top="calc(var(--app-shell-header-height) + var(--mantine-spacing-xl))" style={{ flexShrink: 0 }}>
          {(['Account', 'Workspace'] as const).map((group) => (
            <Stack key={group} gap={2} mb="lg">
              <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" mb={4}>
                {group}
              </Text>
              {sections
                .filter((s) => s.group === group)
                .map(({ path, label, icon: SectionIcon }) => (
                  <NavLink
                    key={path}
                    component={Link}
                    to={`/settings/${path}`}
                    label={label}
                    active={current?.path === path}
                    aria-current={current?.path === path ? 'page' : undefined}
                    leftSection={<SectionIcon size={16} stroke={1.7} />}
                    styles={{ root: { borderRadius: 'var(--mantine-radius-md)' } }}
                  />
                ))}
            </Stack>
          ))}
        </Box>
        <Box style={{ flex: 1, minWidth: 0 }} maw={960}>
          <Outlet />
        </Box>
      </Group>
    </Page>
  );
}

/** Shown instead of an admin-only settings page for agents (the server enforces this too). */
export function AdminOnly({ children, fallback }: { children: ReactNode; fallback?: ReactNode }) {
  const { isAdmin } = useSession();
  if (isAdmin) return <>{children}</>;
  if (fallback !== undefined) return <>{fallback}</>;
  return (
    <EmptyState
      py="xl"
      variant="light"
      color="gray"
      icon={<IconLock size={24} />}
      title="Admins only"
      description="Ask a workspace owner or admin if you need access to this page."
    />
  );
}
