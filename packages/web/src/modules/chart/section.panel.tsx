import { Alert, Card, Loader, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Loaded } from '../../api/use-fhir';

/**
 * A chart section: its title, then the content once loaded, "none recorded" when empty, and
 * what went wrong otherwise (a role that may not read clinical data sees that, not an error).
 */
export function Section<T>({
  title,
  state,
  empty,
  children,
}: {
  title: string;
  state: Loaded<T[]>;
  empty: string;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      {state.status === 'loading' ? <Loader size="sm" aria-label={`Loading ${title}`} /> : null}
      {state.status === 'error' ? <SectionProblem state={state} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? <Text c="dimmed">{empty}</Text> : null}
      {state.status === 'ok' && state.data.length > 0 ? children(state.data) : null}
    </Card>
  );
}

export function SectionProblem({ state }: { state: { message: string; httpStatus: number } }) {
  if (state.httpStatus === 403) return <Text c="dimmed">Not available to your role.</Text>;
  return (
    <Alert color="red" variant="light" role="alert">
      {state.message}
    </Alert>
  );
}
