import { Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ActionForm, localInput, RequiredSelect, TransferReason } from './adt-forms';
import type { BoardView, Occupant } from './bed-board-view';

type Body = Record<string, string | { reference: string } | { dateTime: string } | undefined>;

/** The places a transfer can be asked for: every unit, and every clean bed (by unit). */
function placeOptions(board: BoardView) {
  return [
    { group: 'Units', items: board.units.map((u) => ({ value: `unit:${u.id}`, label: u.name })) },
    ...board.units.flatMap((u) => {
      const beds = u.rooms.flatMap((r) => r.beds.filter((b) => b.status === 'clean'));
      return beds.length
        ? [
            {
              group: `Clean beds — ${u.name}`,
              items: beds.map((b) => ({ value: `bed:${b.id}`, label: b.name })),
            },
          ]
        : [];
    }),
  ];
}

/** Ask for a move (`$request-transfer`): a unit or a clean bed wanted, and why. */
export function RequestTransferForm({
  board,
  onDone,
  run,
}: {
  board: BoardView;
  onDone: () => void;
  run: (body: Body) => Promise<unknown>;
}) {
  const [place, setPlace] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [kind, id] = (place ?? ':').split(':');
  return (
    <ActionForm
      label="Request a transfer"
      submit="Request transfer"
      ready={place !== null && reason.trim() !== ''}
      onDone={onDone}
      action={() => run({ [kind]: { reference: `Location/${id}` }, reason: reason.trim() })}
    >
      <RequiredSelect
        label="Wanted unit or bed"
        searchable
        data={placeOptions(board)}
        value={place}
        onChange={setPlace}
        data-autofocus
      />
      <TransferReason value={reason} onChange={setReason} />
    </ActionForm>
  );
}

/** Plan the discharge (`$plan-discharge`): expected time and a note; an existing plan can be removed. */
export function PlanDischargeForm({
  occupant,
  onDone,
  run,
}: {
  occupant: Occupant;
  onDone: () => void;
  run: (body: Body) => Promise<unknown>;
}) {
  const plan = occupant.expectedDischarge;
  const [time, setTime] = useState(
    localInput(plan ? new Date(plan.time) : new Date(Date.now() + 86_400_000)),
  );
  const [note, setNote] = useState(plan?.note ?? '');
  return (
    <>
      <ActionForm
        label="Plan the discharge"
        submit={plan ? 'Change the plan' : 'Plan discharge'}
        ready={time !== ''}
        onDone={onDone}
        action={() =>
          run({ time: { dateTime: new Date(time).toISOString() }, note: note.trim() || undefined })
        }
      >
        <TextInput
          type="datetime-local"
          label="Expected discharge"
          value={time}
          onChange={(e) => setTime(e.currentTarget.value)}
          required
          data-autofocus
        />
        <Textarea label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      </ActionForm>
      {plan ? (
        <ActionForm
          label="Remove the planned discharge"
          submit="Remove the plan"
          ready
          onDone={onDone}
          action={() => run({})}
        >
          {null}
        </ActionForm>
      ) : null}
    </>
  );
}
