import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { itemsFor } from './nav';

/** The first screen after sign-in: what this user can do, one card per screen. */
export function HomePage() {
  const { user } = useAuth();
  const items = itemsFor(user.roles).filter((i) => i.inMenu);
  return (
    <Stack>
      <Title order={1}>Welcome, {user.name}</Title>
      {items.length === 0 ? (
        <Text>
          Your role has no screens in this app yet. The FHIR API and the HL7 tools are available to it.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {items.map((item) => (
            <Card key={item.path} component={Link} to={item.path} withBorder padding="lg">
              <Text fw={600} size="lg">
                {item.label}
              </Text>
              {item.description ? <Text c="dimmed">{item.description}</Text> : null}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}
