import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { Patient } from '../../api/fhir-types';
import type { Loaded } from '../../api/use-fhir';
import { toPatientView } from '../registration/patient-view';
import { useAllergies, useCodeStatus, useCurrentEncounter } from './chart.resource';
import { attendingOf, conceptText, currentLocation } from './chart-view';

/**
 * The patient banner, on every patient screen: who this is (name, MRN, age, sex) and what
 * nobody may miss (allergies, where they are, who attends, code status). Each fact says
 * "not documented" or "not available to your role" rather than staying blank.
 */
export function PatientBanner({ patient }: { patient: Loaded<Patient> }) {
  if (patient.status !== 'ok') {
    return (
      <Paper withBorder p="md" role="region" aria-label="Patient banner">
        {patient.status === 'loading' ? <Skeleton h={48} /> : <Text c="red">{patient.message}</Text>}
      </Paper>
    );
  }
  return <BannerFacts patient={patient.data} />;
}

function BannerFacts({ patient }: { patient: Patient }) {
  const v = toPatientView(patient);
  const id = patient.id ?? '';
  const allergies = useAllergies(id);
  const encounter = useCurrentEncounter(id);
  const codeStatus = useCodeStatus(id);
  return (
    <Paper withBorder p="md" bg="gray.0" role="region" aria-label="Patient banner">
      <Stack gap={6}>
        <Group gap="md" align="baseline" wrap="wrap">
          <Title order={1} size="h2" data-testid="banner-name">
            {v.name}
          </Title>
          <Text>
            <Text span c="dimmed">
              MRN{' '}
            </Text>
            <Text span ff="monospace" fw={600} data-testid="banner-mrn">
              {v.mrn || 'none'}
            </Text>
          </Text>
          <Text>
            {v.deceased ? 'Deceased' : v.age || 'Age unknown'} · {v.sex}
          </Text>
          <Text c="dimmed">Born {v.birthDate || 'unknown'}</Text>
        </Group>
        <Group gap="xl" style={{ rowGap: 4 }} wrap="wrap">
          <Fact label="Allergies">
            {allergies.status === 'ok' ? (
              allergies.data.length === 0 ? (
                <Text span>No known allergies recorded</Text>
              ) : (
                <Group gap={4} component="span">
                  {allergies.data.map((a) => (
                    <Badge
                      key={a.id}
                      color={a.criticality === 'high' ? 'red' : 'orange'}
                      variant="filled"
                      tt="none"
                      size="lg"
                    >
                      {conceptText(a.code) || 'Unnamed allergy'}
                    </Badge>
                  ))}
                </Group>
              )
            ) : (
              <Pending state={allergies} />
            )}
          </Fact>
          <Fact label="Location">
            {encounter.status === 'ok' ? (
              <Text span>{currentLocation(encounter.data) || 'Not admitted'}</Text>
            ) : (
              <Pending state={encounter} />
            )}
          </Fact>
          <Fact label="Attending">
            {encounter.status === 'ok' ? (
              <Text span>{attendingOf(encounter.data) || 'None assigned'}</Text>
            ) : (
              <Pending state={encounter} />
            )}
          </Fact>
          <Fact label="Code status">
            {codeStatus.status === 'ok' ? (
              <Text span>
                {codeStatus.data
                  ? conceptText(codeStatus.data.valueCodeableConcept) || conceptText(codeStatus.data.code)
                  : 'Not documented'}
              </Text>
            ) : (
              <Pending state={codeStatus} />
            )}
          </Fact>
        </Group>
      </Stack>
    </Paper>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Text component="div" size="sm">
      <Text span fw={700} mr={6}>
        {label}:
      </Text>
      {children}
    </Text>
  );
}

function Pending({ state }: { state: Loaded<unknown> }) {
  if (state.status === 'loading')
    return (
      <Text span c="dimmed">
        …
      </Text>
    );
  if (state.status === 'error' && state.httpStatus === 403)
    return (
      <Text span c="dimmed">
        not available to your role
      </Text>
    );
  return (
    <Text span c="red" role="alert">
      {state.status === 'error' ? state.message : ''}
    </Text>
  );
}
