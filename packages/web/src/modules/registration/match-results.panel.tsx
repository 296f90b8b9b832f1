import { Badge, Button, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { gradeLabels, type MatchCandidate } from './match.resource';
import { toPatientView } from './patient-view';

/**
 * Candidate patients in a table: name (a link to the chart), MRN, birth date and age, sex,
 * address, and how alike they are. Used by the search box and by registration's duplicate check.
 */
export function MatchResults({
  candidates,
  caption,
  showGrade = true,
  openLabel,
}: {
  candidates: readonly MatchCandidate[];
  caption: string;
  showGrade?: boolean;
  /** When set, each row also has a button with this label that opens the chart. */
  openLabel?: string;
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Birth date</Table.Th>
            <Table.Th>Sex</Table.Th>
            <Table.Th>Address</Table.Th>
            {showGrade ? <Table.Th>Match</Table.Th> : null}
            {openLabel ? (
              <Table.Th>
                <span className="visually-hidden">Action</span>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {candidates.map((c) => {
            const v = toPatientView(c.patient);
            const grade = gradeLabels[c.grade];
            return (
              <Table.Tr key={v.id}>
                <Table.Td>
                  <Text component={Link} to={`/patients/${v.id}`} fw={600} c="blue.8" td="underline">
                    {v.name}
                  </Text>
                  {v.deceased ? (
                    <Badge ml="xs" color="gray" variant="outline" size="sm">
                      Deceased
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td ff="monospace">{v.mrn || '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {v.birthDate || '—'}
                  {v.age ? <Text span c="dimmed" size="sm">{` (${v.age})`}</Text> : null}
                </Table.Td>
                <Table.Td>{v.sex}</Table.Td>
                <Table.Td>{v.address || '—'}</Table.Td>
                {showGrade ? (
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge
                      color={grade.color}
                      variant="light"
                      tt="none"
                      size="lg"
                      styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                      title={`Score ${Math.round(c.score * 100)}%`}
                    >
                      {grade.label} · {Math.round(c.score * 100)}%
                    </Badge>
                  </Table.Td>
                ) : null}
                {openLabel ? (
                  <Table.Td>
                    <Button component={Link} to={`/patients/${v.id}`} size="sm" variant="light">
                      {openLabel}
                    </Button>
                  </Table.Td>
                ) : null}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
