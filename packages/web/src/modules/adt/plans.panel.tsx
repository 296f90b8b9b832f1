import { Button, Table, Text } from '@mantine/core';
import { type BedView, type BoardView, plannedMoves, whenText } from './bed-board-view';
import { planSymbols } from './bed-tile.panel';

/**
 * The board's summary of what is planned: patients with a pending transfer or an expected
 * discharge (soonest discharge first), so the bed manager sees the beds that will free up and
 * the moves still to make; a row opens the bed's actions.
 */
export function PlansPanel({
  board,
  now,
  onOpen,
}: {
  board: BoardView;
  now: Date;
  onOpen: (bed: BedView) => void;
}) {
  const rows = plannedMoves(board).sort(
    (a, b) =>
      Date.parse(a.occupant.expectedDischarge?.time ?? '9999') -
      Date.parse(b.occupant.expectedDischarge?.time ?? '9999'),
  );
  if (rows.length === 0) return null;
  const transfers = rows.filter((r) => r.occupant.pendingTransfer).length;
  const discharges = rows.filter((r) => r.occupant.expectedDischarge).length;
  return (
    <details>
      <summary>
        <Text component="span" fw={600}>
          Pending transfers ({transfers}) and expected discharges ({discharges})
        </Text>
      </summary>
      <Table striped mt="xs" aria-label="Pending transfers and expected discharges">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Bed</Table.Th>
            <Table.Th>Transfer requested</Table.Th>
            <Table.Th>Discharge expected</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ bed, unit, occupant }) => (
            <Table.Tr key={bed.id}>
              <Table.Td>{occupant.name}</Table.Td>
              <Table.Td>
                {unit.name} · {bed.name}
              </Table.Td>
              <Table.Td>
                {occupant.pendingTransfer
                  ? `${planSymbols.transfer} to ${occupant.pendingTransfer.to ?? '?'}${occupant.pendingTransfer.reason ? ` — ${occupant.pendingTransfer.reason}` : ''}`
                  : ''}
              </Table.Td>
              <Table.Td>
                {occupant.expectedDischarge
                  ? `${planSymbols.discharge} ${whenText(occupant.expectedDischarge.time, now)}${occupant.expectedDischarge.note ? ` — ${occupant.expectedDischarge.note}` : ''}`
                  : ''}
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => onOpen(bed)}
                  aria-label={`Open bed ${bed.name}`}
                >
                  Open
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </details>
  );
}
