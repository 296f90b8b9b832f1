import { Alert, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { type MatchCandidate, matchPatients } from './match.resource';
import { MatchResults } from './match-results.panel';
import { patientFromSearchText } from './search-query';

type State =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'done'; candidates: MatchCandidate[]; text: string }
  | { kind: 'error'; message: string };

/**
 * Find a patient: one box for a name (either order, typos forgiven), an MRN (or its first
 * digits) and a birth date. Results update as the registrar types and are ranked by likeness.
 * The text stays in the address (`?q=`) so the back button returns to the same results.
 */
export default function SearchPage() {
  const { fhir, user } = useAuth();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(text, 300);
  const [query, setQuery] = useState(text);
  const [state, setState] = useState<State>({ kind: 'idle' });

  useEffect(() => setQuery(debounced), [debounced]);

  useEffect(() => {
    const patient = patientFromSearchText(query);
    if (!patient) {
      setState({ kind: 'idle' });
      return;
    }
    let current = true;
    setState({ kind: 'loading' });
    matchPatients(fhir, patient, 20).then(
      (candidates) => current && setState({ kind: 'done', candidates, text: query }),
      (err: unknown) => current && setState({ kind: 'error', message: (err as Error).message }),
    );
    return () => {
      current = false;
    };
  }, [query, fhir]);

  useEffect(() => {
    if ((params.get('q') ?? '') !== query) setParams(query ? { q: query } : {}, { replace: true });
  }, [query, params, setParams]);

  // Enter searches at once rather than after the typing pause.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery(text);
  };

  return (
    <Stack gap="md">
      <Title order={1}>Find a patient</Title>
      <form onSubmit={submit} aria-label="Find a patient">
        <TextInput
          label="Name, MRN or birth date"
          description="For example: Smith John · 47000123 · 1980-03-04 or 03/04/1980"
          placeholder="Start typing…"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          autoFocus
          size="lg"
          rightSection={state.kind === 'loading' ? <Loader size="sm" aria-label="Searching" /> : null}
        />
      </form>
      {state.kind === 'idle' && query.trim() !== '' ? (
        <Text c="dimmed" role="status">
          Type at least two letters of a name, a birth date or an MRN.
        </Text>
      ) : null}
      {state.kind === 'error' ? (
        <Alert color="red" title="The search failed" role="alert">
          {state.message}
        </Alert>
      ) : null}
      {state.kind === 'done' && state.candidates.length === 0 ? (
        <Alert color="gray" title="No patient found" role="status">
          <Text>Nobody on record is like “{state.text}”. Check the spelling or try the birth date.</Text>
          {user.roles.includes('registrar') ? (
            <Button component={Link} to="/patients/new" mt="sm" variant="light">
              Register a new patient
            </Button>
          ) : null}
        </Alert>
      ) : null}
      {state.kind === 'done' && state.candidates.length > 0 ? (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text role="status">
              {state.candidates.length} patient{state.candidates.length === 1 ? '' : 's'} like “{state.text}”,
              most alike first
            </Text>
          </Group>
          <MatchResults candidates={state.candidates} caption="Patients found" />
        </Stack>
      ) : null}
    </Stack>
  );
}
