import {
  Alert,
  Badge,
  Button,
  Chip,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../auth/auth-context';
import { loadBoard, runOperation, useBoardEvents } from './adt.resource';
import { AdmitForm, DischargeForm, ReasonForm, TransferForm } from './adt-forms';
import { BedActions, type Dialog, type DialogActions, reasonTitles } from './bed-actions.panel';
import {
  type BedView,
  type BoardStatus,
  type BoardView,
  boardStatuses,
  type PendingView,
  sexAge,
  statusLabels,
} from './bed-board-view';
import { BedTile, planSymbols, statusSymbols } from './bed-tile.panel';
import { PlanDischargeForm, RequestTransferForm } from './plan-forms';
import { PlansPanel } from './plans.panel';
import './bed-board.css';

/**
 * The bed board: every unit's rooms and beds with status, occupant and census, filtered by unit
 * and status, kept live by the server's change stream; a bed opens its actions (admit, transfer,
 * discharge, cancel, leave, housekeeping). Works with a keyboard (every bed is a button) and on a
 * tablet (large targets, wrapping grid).
 */
export default function BedBoardPage() {
  const { fhir, user } = useAuth();
  const [params, setParams] = useSearchParams();
  const unit = params.get('unit') ?? '';
  const statuses = (params.get('status') ?? '')
    .split(',')
    .filter((s): s is BoardStatus => (boardStatuses as readonly string[]).includes(s));
  const [board, setBoard] = useState<BoardView>();
  const [units, setUnits] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<string>();
  const [dialog, setDialog] = useState<Dialog>();
  const [notice, setNotice] = useState<string>();
  const [now, setNow] = useState(() => new Date());
  const statusKey = statuses.join(',');

  const reload = useCallback(() => {
    loadBoard(fhir, {
      unit: unit || undefined,
      statuses: statusKey ? (statusKey.split(',') as BoardStatus[]) : [],
    }).then(
      (b) => {
        setBoard(b);
        setNow(new Date());
        setError(undefined);
        if (!unit && !statusKey) setUnits(b.units.map((u) => ({ value: u.id, label: u.name })));
      },
      (err: unknown) => setError((err as Error).message),
    );
  }, [fhir, unit, statusKey]);
  useEffect(() => reload(), [reload]);
  useEffect(() => {
    if (units.length > 0 || !unit) return;
    loadBoard(fhir).then(
      (b) => setUnits(b.units.map((u) => ({ value: u.id, label: u.name }))),
      () => undefined,
    );
  }, [fhir, unit, units.length]);
  const live = useBoardEvents(fhir, reload);

  const setFilter = (next: { unit?: string; status?: string[] }) => {
    const p = new URLSearchParams(params);
    if (next.unit !== undefined) next.unit ? p.set('unit', next.unit) : p.delete('unit');
    if (next.status !== undefined)
      next.status.length ? p.set('status', next.status.join(',')) : p.delete('status');
    setParams(p, { replace: true });
  };
  const done = (message: string) => () => {
    setDialog(undefined);
    setNotice(message);
    reload();
  };
  // What the server's policy allows (auth/policy/workflow-operations.ts); it still decides every request.
  const canAdmit = user.roles.some((r) => ['registrar', 'physician'].includes(r));
  const canMove = canAdmit || user.roles.includes('nurse');
  const canClean = user.roles.some((r) => ['registrar', 'nurse'].includes(r));
  const onOpen = useCallback((bed: BedView) => setDialog({ kind: 'bed', bed }), []);

  const grid = useMemo(
    () =>
      board?.units.map((u) => (
        <section key={u.id} className="bb-unit" aria-labelledby={`unit-${u.id}`}>
          <Group gap="sm" align="baseline" mb={6}>
            <Title order={2} size="h4" id={`unit-${u.id}`}>
              {u.name}
            </Title>
            <Text size="sm" aria-label={`Census of ${u.name}`}>
              Census {u.census}/{u.beds} · {u.counts.clean} clean · {u.counts.dirty} dirty ·{' '}
              {u.counts.cleaning} cleaning · {u.counts.blocked} blocked · {planSymbols.transfer}{' '}
              {u.pendingTransfers} transfers pending · {planSymbols.discharge} {u.expectedDischarges}{' '}
              discharges expected
            </Text>
          </Group>
          <div className="bb-rooms">
            {u.rooms.map((room) => (
              <fieldset className="bb-room" key={room.id ?? room.name}>
                <legend className="bb-room-name">{room.name}</legend>
                <div className="bb-beds">
                  {room.beds.map((bed) => (
                    <BedTile key={bed.id} bed={bed} now={now} onOpen={onOpen} />
                  ))}
                </div>
              </fieldset>
            ))}
          </div>
        </section>
      )),
    [board, now, onOpen],
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Bed board</Title>
        <Group gap="sm">
          <Badge
            color={live === 'live' ? 'green' : live === 'offline' ? 'red' : 'gray'}
            variant="light"
            role="status"
            aria-live="polite"
          >
            {live === 'live' ? 'Live' : live === 'offline' ? 'Offline — reconnecting' : 'Connecting…'}
          </Badge>
          {canAdmit ? <Button onClick={() => setDialog({ kind: 'admit' })}>Admit a patient</Button> : null}
        </Group>
      </Group>
      <Group align="flex-end" gap="lg">
        <Select
          label="Unit"
          placeholder="All units"
          clearable
          data={units}
          value={unit || null}
          onChange={(v) => setFilter({ unit: v ?? '' })}
          w={280}
        />
        <Chip.Group multiple value={statuses} onChange={(v) => setFilter({ status: v })}>
          <Group gap={6} role="group" aria-label="Show beds that are">
            {boardStatuses.map((s) => (
              <Chip key={s} value={s}>
                {statusSymbols[s]} {statusLabels[s]}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </Group>
      {notice ? (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(undefined)}>
          {notice}
        </Alert>
      ) : null}
      {error ? (
        <Alert color="red" role="alert" title="The board could not be loaded">
          {error}
        </Alert>
      ) : null}
      {!board && !error ? <Loader aria-label="Loading the bed board" /> : null}
      {board && board.pending.length > 0 ? (
        <Pending
          pending={board.pending}
          onAdmit={(p) => setDialog({ kind: 'admit', pending: p })}
          canAdmit={canAdmit}
        />
      ) : null}
      {board ? <PlansPanel board={board} now={now} onOpen={onOpen} /> : null}
      {grid}
      <BoardDialog
        dialog={dialog}
        board={board}
        close={() => setDialog(undefined)}
        open={setDialog}
        done={done}
        canMove={canMove}
        canAdmit={canAdmit}
        canClean={canClean}
      />
    </Stack>
  );
}

/** Patients waiting for a bed: planned admissions, emergency patients, today's appointments. */
function Pending({
  pending,
  onAdmit,
  canAdmit,
}: {
  pending: PendingView[];
  onAdmit: (p: PendingView) => void;
  canAdmit: boolean;
}) {
  const kinds = { admission: 'Planned admission', emergency: 'In the ED', appointment: 'Appointment today' };
  return (
    <details>
      <summary>
        <Text component="span" fw={600}>
          Waiting for a bed ({pending.length})
        </Text>
      </summary>
      <Table striped mt="xs" aria-label="Waiting for a bed">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Sex, age</Table.Th>
            <Table.Th>Waiting as</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pending.map((p) => (
            <Table.Tr key={`${p.kind}-${p.encounterId ?? p.appointmentId ?? p.id}`}>
              <Table.Td>{p.name}</Table.Td>
              <Table.Td>{p.mrn}</Table.Td>
              <Table.Td>{sexAge(p)}</Table.Td>
              <Table.Td>{kinds[p.kind]}</Table.Td>
              <Table.Td>{p.description}</Table.Td>
              <Table.Td>
                {canAdmit ? (
                  <Button size="xs" variant="light" onClick={() => onAdmit(p)} aria-label={`Admit ${p.name}`}>
                    Admit
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </details>
  );
}

function BoardDialog({
  dialog,
  board,
  close,
  open,
  done,
  canMove,
  canAdmit,
  canClean,
}: DialogActions & {
  dialog: Dialog | undefined;
  board: BoardView | undefined;
  close: () => void;
}) {
  const { fhir } = useAuth();
  if (!dialog || !board) return null;
  const title =
    dialog.kind === 'bed'
      ? `Bed ${dialog.bed.name} — ${statusLabels[dialog.bed.status]}`
      : dialog.kind === 'admit'
        ? 'Admit a patient'
        : dialog.kind === 'transfer'
          ? `Transfer ${dialog.bed.occupant?.name ?? ''} from ${dialog.bed.name}`
          : dialog.kind === 'discharge'
            ? `Discharge ${dialog.bed.occupant?.name ?? ''} from ${dialog.bed.name}`
            : dialog.kind === 'request-transfer'
              ? `Request a transfer for ${dialog.bed.occupant?.name ?? ''} (${dialog.bed.name})`
              : dialog.kind === 'plan-discharge'
                ? `Plan the discharge of ${dialog.bed.occupant?.name ?? ''} (${dialog.bed.name})`
                : `${reasonTitles[dialog.action][0]} — ${dialog.bed.name}`;
  return (
    <Modal opened onClose={close} title={title} size="lg">
      {dialog.kind === 'bed' ? (
        <BedActions
          bed={dialog.bed}
          open={open}
          done={done}
          canMove={canMove}
          canAdmit={canAdmit}
          canClean={canClean}
        />
      ) : dialog.kind === 'admit' ? (
        <AdmitForm
          board={board}
          bedId={dialog.bedId}
          patient={dialog.pending ? { id: dialog.pending.id, name: dialog.pending.name } : undefined}
          encounterId={dialog.pending?.encounterId}
          onDone={done('Patient admitted.')}
          run={(body) => runOperation(fhir, 'Encounter', 'admit', body)}
        />
      ) : dialog.kind === 'transfer' ? (
        <TransferForm
          board={board}
          fromBed={dialog.bed.id}
          onDone={done('Patient transferred.')}
          run={(body) =>
            runOperation(fhir, `Encounter/${dialog.bed.occupant?.encounterId}`, 'transfer', body)
          }
        />
      ) : dialog.kind === 'discharge' ? (
        <DischargeForm
          onDone={done(`Patient discharged; bed ${dialog.bed.name} is waiting for housekeeping.`)}
          run={(body) =>
            runOperation(fhir, `Encounter/${dialog.bed.occupant?.encounterId}`, 'discharge', body)
          }
        />
      ) : dialog.kind === 'request-transfer' ? (
        <RequestTransferForm
          board={board}
          onDone={done('Transfer requested.')}
          run={(body) =>
            runOperation(fhir, `Encounter/${dialog.bed.occupant?.encounterId}`, 'request-transfer', body)
          }
        />
      ) : dialog.kind === 'plan-discharge' ? (
        dialog.bed.occupant ? (
          <PlanDischargeForm
            occupant={dialog.bed.occupant}
            onDone={done('Discharge plan saved.')}
            run={(body) =>
              runOperation(fhir, `Encounter/${dialog.bed.occupant?.encounterId}`, 'plan-discharge', body)
            }
          />
        ) : null
      ) : (
        <ReasonForm
          label={reasonTitles[dialog.action][0]}
          submit={reasonTitles[dialog.action][1]}
          required={reasonTitles[dialog.action][2]}
          onDone={done(`${reasonTitles[dialog.action][1]}: done.`)}
          run={(reason) =>
            dialog.action === 'block'
              ? runOperation(fhir, `Location/${dialog.bed.id}`, 'block', { reason })
              : runOperation(
                  fhir,
                  `Encounter/${dialog.action === 'cancel-discharge' ? dialog.bed.dischargedEncounterId : dialog.bed.occupant?.encounterId}`,
                  dialog.action,
                  { reason },
                )
          }
        />
      )}
    </Modal>
  );
}
