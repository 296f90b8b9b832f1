import { Alert, Card, Loader, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { hospitalConfig } from '../../app/config';
import { PatientBanner } from './banner.panel';
import {
  useEncounters,
  useImmunizations,
  useMedications,
  useObservationSeries,
  useObservations,
  usePatient,
  useProblems,
} from './chart.resource';
import {
  conceptKey,
  conceptText,
  latestByCode,
  type Observation,
  observationValue,
  observedAt,
  shortDate,
} from './chart-view';
import { Section } from './section.panel';

// The chart library is loaded only when a trend is drawn.
const TrendChart = lazy(() => import('./trend.panel'));

/**
 * The chart summary: the banner, then encounters, problems, medications, immunizations, the
 * latest vital signs and laboratory results, and the trend of one chosen observation.
 */
export default function ChartPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const registered = (location.state as { registered?: string } | null)?.registered;
  const patient = usePatient(id);
  return (
    <Stack gap="md">
      <PatientBanner patient={patient} />
      {registered ? (
        <Alert color="green" title="Patient registered" role="status">
          The new record has medical record number {registered}.
        </Alert>
      ) : null}
      {patient.status === 'ok' ? <Summary patientId={id} /> : null}
    </Stack>
  );
}

function Summary({ patientId }: { patientId: string }) {
  const encounters = useEncounters(patientId);
  const problems = useProblems(patientId);
  const medications = useMedications(patientId);
  const immunizations = useImmunizations(patientId);
  const vitals = useObservations(patientId, hospitalConfig.vitalSignsCategory);
  const labs = useObservations(patientId, hospitalConfig.laboratoryCategory);
  // Sections the role policy refuses are named once, not shown as a wall of empty cards.
  const refusedTitles = (
    [
      ['encounters', encounters],
      ['problems', problems],
      ['medications', medications],
      ['immunizations', immunizations],
      ['vital signs', vitals],
      ['laboratory results', labs],
    ] as const
  )
    .filter(([, state]) => refused(state))
    .map(([title]) => title);
  return (
    <>
      {refusedTitles.length > 0 ? (
        <Text c="dimmed" role="note">
          Not available to your role: {refusedTitles.join(', ')}.
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {refused(encounters) ? null : (
          <Section title="Encounters" state={encounters} empty="No encounters recorded">
            {(items) => (
              <SimpleTable
                caption="Encounters"
                head={['Date', 'Type', 'Status']}
                rows={items.map((e) => [
                  shortDate(e.period?.start),
                  conceptText(e.type?.[0]) || e.class?.display || e.class?.code || '',
                  e.status ?? '',
                ])}
              />
            )}
          </Section>
        )}
        {refused(problems) ? null : (
          <Section title="Problems" state={problems} empty="No active problems recorded">
            {(items) => (
              <SimpleTable
                caption="Problems"
                head={['Problem', 'Since']}
                rows={items.map((c) => [conceptText(c.code), shortDate(c.onsetDateTime ?? c.recordedDate)])}
              />
            )}
          </Section>
        )}
        {refused(medications) ? null : (
          <Section title="Medications" state={medications} empty="No active medications">
            {(items) => (
              <SimpleTable
                caption="Medications"
                head={['Medication', 'Ordered']}
                rows={items.map((m) => [
                  conceptText(m.medicationCodeableConcept) || m.medicationReference?.display || '',
                  shortDate(m.authoredOn),
                ])}
              />
            )}
          </Section>
        )}
        {refused(immunizations) ? null : (
          <Section title="Immunizations" state={immunizations} empty="No immunizations recorded">
            {(items) => (
              <SimpleTable
                caption="Immunizations"
                head={['Vaccine', 'Given']}
                rows={items.map((i) => [conceptText(i.vaccineCode), shortDate(i.occurrenceDateTime)])}
              />
            )}
          </Section>
        )}
        {refused(vitals) ? null : (
          <Section
            title="Latest vital signs"
            state={mapOk(vitals, latestByCode)}
            empty="No vital signs recorded"
          >
            {(items) => <ObservationTable caption="Latest vital signs" items={items} />}
          </Section>
        )}
        {refused(labs) ? null : (
          <Section
            title="Latest laboratory results"
            state={mapOk(labs, latestByCode)}
            empty="No results recorded"
          >
            {(items) => <ObservationTable caption="Latest laboratory results" items={items} />}
          </Section>
        )}
      </SimpleGrid>
      {refused(vitals) && refused(labs) ? null : (
        <Trend
          patientId={patientId}
          choices={[
            ...(vitals.status === 'ok' ? latestByCode(vitals.data) : []),
            ...(labs.status === 'ok' ? latestByCode(labs.data) : []),
          ]}
        />
      )}
    </>
  );
}

function refused(state: { status: string; httpStatus?: number }): boolean {
  return state.status === 'error' && state.httpStatus === 403;
}

function mapOk<T, U>(state: import('../../api/use-fhir').Loaded<T>, f: (t: T) => U) {
  return state.status === 'ok' ? { status: 'ok' as const, data: f(state.data) } : state;
}

function Trend({ patientId, choices }: { patientId: string; choices: Observation[] }) {
  const options = choices
    .filter((o) => o.valueQuantity?.value !== undefined || (o.component ?? []).length > 0)
    .map((o) => ({ value: conceptKey(o.code), label: conceptText(o.code) }))
    .filter((o, i, all) => o.value !== '' && all.findIndex((x) => x.value === o.value) === i);
  const [code, setCode] = useState<string | null>(null);
  const chosen = code ?? options[0]?.value ?? null;
  const series = useObservationSeries(patientId, chosen ?? undefined);
  if (options.length === 0) return null;
  return (
    <Card withBorder padding="md" component="section" aria-label="Trend">
      <Title order={2} size="h4" mb="xs">
        Trend
      </Title>
      <Select
        label="Observation"
        data={options}
        value={chosen}
        onChange={setCode}
        allowDeselect={false}
        searchable
        maw={420}
        mb="md"
      />
      {series.status === 'ok' ? (
        <Suspense fallback={<Loader size="sm" aria-label="Loading the chart" />}>
          <TrendChart
            observations={series.data}
            label={options.find((o) => o.value === chosen)?.label ?? ''}
          />
        </Suspense>
      ) : series.status === 'loading' ? (
        <Loader size="sm" aria-label="Loading the trend" />
      ) : (
        <Text c="red">{series.message}</Text>
      )}
    </Card>
  );
}

function ObservationTable({ caption, items }: { caption: string; items: Observation[] }) {
  return (
    <SimpleTable
      caption={caption}
      head={['Observation', 'Value', 'Date']}
      rows={items.map((o) => [conceptText(o.code), observationValue(o), shortDate(observedAt(o))])}
    />
  );
}

function SimpleTable({ caption, head, rows }: { caption: string; head: string[]; rows: string[][] }) {
  return (
    <Table.ScrollContainer minWidth={320} mah={320}>
      <Table striped verticalSpacing={6} aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            {head.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are a fixed rendering of a loaded list
            <Table.Tr key={i}>
              {r.map((cell, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed
                <Table.Td key={j} style={isoDate.test(cell) ? { whiteSpace: 'nowrap' } : undefined}>
                  {cell || '—'}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Dates stay on one line (a date broken after its year reads as two values). */
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
