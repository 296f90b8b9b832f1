import { AppShell, Burger, Button, Group, NavLink, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { itemsFor } from './nav';

/**
 * The frame of every screen: the header with the signed-in user and sign-out, and the menu of
 * the screens the user's roles open. On a tablet in portrait the menu folds behind a button.
 */
export function Shell({ children }: { children: ReactNode }) {
  const { user, signOut } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const menu = itemsFor(user.roles).filter((i) => i.inMenu);
  return (
    <AppShell
      header={{ height: 60 }}
      // Below a landscape tablet's width the menu folds behind the Menu button, so a portrait
      // tablet gives the patient lists the whole width.
      navbar={{ width: 240, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="md" aria-label="Menu" />
            <Title order={2} size="h3">
              <Link to="/" className="brand">
                Hospitium
              </Link>
            </Title>
          </Group>
          <Group wrap="nowrap" gap="sm">
            <Text size="sm" data-testid="signed-in-user">
              <VisuallyHidden>Signed in as </VisuallyHidden>
              {user.name}
              <Text span c="dimmed" size="sm">
                {' '}
                · {user.roles.join(', ') || 'no role'}
              </Text>
            </Text>
            <Button variant="default" size="sm" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {menu.map((item) => (
          <NavLink
            key={item.path}
            component={Link}
            to={item.path}
            label={item.label}
            active={location.pathname === item.path}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
