import { NavLink, Stack } from '@mantine/core';
import {
  IconAddressBook,
  IconBook2,
  IconChartBar,
  IconInbox,
  IconSettings,
  type Icon,
} from '@tabler/icons-react';
import { Link, useLocation } from 'react-router-dom';

interface Item {
  label: string;
  to: string;
  icon: Icon;
}

export const mainNavItems: Item[] = [
  { label: 'Inbox', to: '/inbox', icon: IconInbox },
  { label: 'Contacts', to: '/contacts', icon: IconAddressBook },
  { label: 'Knowledge base', to: '/knowledge-base', icon: IconBook2 },
  { label: 'Reports', to: '/reports', icon: IconChartBar },
  { label: 'Settings', to: '/settings', icon: IconSettings },
];

export function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <Stack gap={4}>
      {mainNavItems.map(({ label, to, icon: ItemIcon }) => {
        const active = pathname === to || pathname.startsWith(`${to}/`);
        return (
          <NavLink
            key={to}
            component={Link}
            to={to}
            label={label}
            active={active}
            aria-current={active ? 'page' : undefined}
            leftSection={<ItemIcon size={18} stroke={1.7} />}
            onClick={onNavigate}
            variant="light"
            styles={{ root: { borderRadius: 'var(--mantine-radius-md)' }, label: { fontWeight: 500 } }}
          />
        );
      })}
    </Stack>
  );
}
