import { AppShell, Burger, Divider, Group, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from 'react-router-dom';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { Logo } from './Logo';
import { MainNav } from './MainNav';
import { SearchBox, SearchButton } from './SearchBox';
import { NotificationBell } from './notifications/NotificationBell';
import { UserMenu } from './UserMenu';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';
import { RealtimeProvider, RealtimeStatus } from '../lib/realtime';
import classes from './TopBar.module.css';

export function AppLayout() {
  const [navOpen, { toggle, close }] = useDisclosure(false);

  return (
    <RealtimeProvider>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
        padding={0}
      >
        <a href="#main" className={classes.skipLink}>
          Skip to content
        </a>
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Burger
                opened={navOpen}
                onClick={toggle}
                hiddenFrom="sm"
                size="sm"
                aria-label={navOpen ? 'Close navigation' : 'Open navigation'}
              />
              <Group gap="sm" wrap="nowrap" visibleFrom="xs">
                <Logo />
                <Divider orientation="vertical" my={4} />
              </Group>
              <WorkspaceSwitcher />
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Group visibleFrom="sm">
                <SearchBox />
              </Group>
              <Group hiddenFrom="sm">
                <SearchButton />
              </Group>
              <RealtimeStatus />
              <NotificationBell />
              <ColorSchemeToggle />
              <UserMenu />
            </Group>
          </Group>
        </AppShell.Header>

        <AppShell.Navbar p="sm" aria-label="Main">
          <AppShell.Section grow component={ScrollArea}>
            <MainNav onNavigate={close} />
          </AppShell.Section>
        </AppShell.Navbar>

        <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
          <Outlet />
        </AppShell.Main>
      </AppShell>
    </RealtimeProvider>
  );
}
