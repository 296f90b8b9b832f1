import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAuth } from '../../auth/auth-context';
import { runOperation } from './adt.resource';
import { type BedView, type PendingView, sexAge, whenText } from './bed-board-view';
import { planSymbols } from './bed-tile.panel';

/** The dialogs of the board: a bed's actions, then the form of the action chosen. */
export type Dialog =
  | { kind: 'bed'; bed: BedView }
  | { kind: 'admit'; bedId?: string; pending?: PendingView }
  | { kind: 'transfer'; bed: BedView }
  | { kind: 'discharge'; bed: BedView }
  | { kind: 'request-transfer'; bed: BedView }
  | { kind: 'plan-discharge'; bed: BedView }
  | {
      kind: 'reason';
      bed: BedView;
      action:
        | 'cancel-admit'
        | 'cancel-transfer'
        | 'cancel-discharge'
        | 'cancel-transfer-request'
        | 'block'
        | 'leave-of-absence';
    };

/** Title, button and whether a reason is required, of the actions that only ask for a reason. */
export const reasonTitles = {
  'cancel-admit': ['Cancel the admission', 'Cancel admission', true],
  'cancel-transfer': ['Cancel the last transfer', 'Cancel transfer', true],
  'cancel-discharge': ['Cancel the discharge', 'Cancel discharge', true],
  'cancel-transfer-request': ['Cancel the transfer request', 'Cancel request', true],
  block: ['Block the bed', 'Block bed', true],
  'leave-of-absence': ['Leave of absence', 'Start leave', false],
} as const;

/** How a board's dialogs act: open another dialog, report a success, and what the user may do. */
export interface DialogActions {
  open: (d: Dialog) => void;
  done: (message: string) => () => void;
  canMove: boolean;
  canAdmit: boolean;
  canClean: boolean;
}

/** What can be done with a bed in its state. */
export function BedActions({
  bed,
  open,
  done,
  canMove,
  canAdmit,
  canClean,
}: DialogActions & { bed: BedView }) {
  const { fhir } = useAuth();
  const [error, setError] = useState<string>();
  const act =
    (operation: string, message: string, target = `Location/${bed.id}` as const) =>
    async () => {
      try {
        await runOperation(fhir, target as `Location/${string}`, operation, {});
        done(message)();
      } catch (err) {
        setError((err as Error).message);
      }
    };
  const o = bed.occupant;
  const encounter = `Encounter/${o?.encounterId}` as const;
  return (
    <Stack gap="sm">
      {o ? (
        <Text>
          <strong>{o.name}</strong> {o.mrn ? `· MRN ${o.mrn}` : ''} {sexAge(o) ? `· ${sexAge(o)}` : ''}
          {o.attending ? ` · ${o.attending}` : ''}
          {o.onLeave ? ' · on leave of absence' : ''}
          {o.pendingTransfer
            ? ` · ${planSymbols.transfer} transfer to ${o.pendingTransfer.to ?? '?'} requested${o.pendingTransfer.reason ? ` (${o.pendingTransfer.reason})` : ''}`
            : ''}
          {o.expectedDischarge
            ? ` · ${planSymbols.discharge} discharge expected ${whenText(o.expectedDischarge.time, new Date())}`
            : ''}
        </Text>
      ) : bed.reason ? (
        <Text>Reason: {bed.reason}</Text>
      ) : null}
      {error ? (
        <Alert color="red" role="alert" title="Not done">
          {error}
        </Alert>
      ) : null}
      <Group gap="sm">
        {o && canMove && !o.onLeave ? (
          <>
            <Button onClick={() => open({ kind: 'transfer', bed })}>Transfer</Button>
            <Button onClick={() => open({ kind: 'discharge', bed })}>Discharge</Button>
            {o.pendingTransfer ? (
              <Button
                variant="light"
                onClick={() => open({ kind: 'reason', bed, action: 'cancel-transfer-request' })}
              >
                Cancel transfer request
              </Button>
            ) : (
              <Button variant="light" onClick={() => open({ kind: 'request-transfer', bed })}>
                Request transfer
              </Button>
            )}
            <Button variant="light" onClick={() => open({ kind: 'plan-discharge', bed })}>
              {o.expectedDischarge ? 'Change planned discharge' : 'Plan discharge'}
            </Button>
            <Button variant="light" onClick={() => open({ kind: 'reason', bed, action: 'leave-of-absence' })}>
              Leave of absence
            </Button>
            <Button
              variant="subtle"
              color="red"
              onClick={() => open({ kind: 'reason', bed, action: 'cancel-transfer' })}
            >
              Cancel last transfer
            </Button>
            <Button
              variant="subtle"
              color="red"
              onClick={() => open({ kind: 'reason', bed, action: 'cancel-admit' })}
            >
              Cancel admission
            </Button>
          </>
        ) : null}
        {o?.onLeave && canMove ? (
          <Button onClick={act('return-from-leave', 'Patient back from leave.', encounter as never)}>
            Back from leave
          </Button>
        ) : null}
        {bed.status === 'clean' && canAdmit ? (
          <Button onClick={() => open({ kind: 'admit', bedId: bed.id })}>Admit to this bed</Button>
        ) : null}
        {bed.dischargedEncounterId && canMove ? (
          <Button
            variant="subtle"
            color="red"
            onClick={() => open({ kind: 'reason', bed, action: 'cancel-discharge' })}
          >
            Cancel discharge
          </Button>
        ) : null}
        {bed.status === 'dirty' && canClean ? (
          <Button onClick={act('start-cleaning', `Cleaning of ${bed.name} started.`)}>Start cleaning</Button>
        ) : null}
        {(bed.status === 'dirty' || bed.status === 'cleaning') && canClean ? (
          <Button color="green" onClick={act('mark-clean', `${bed.name} is clean.`)}>
            Mark clean
          </Button>
        ) : null}
        {bed.status === 'clean' && canClean ? (
          <Button variant="light" onClick={act('mark-dirty', `${bed.name} marked dirty.`)}>
            Mark dirty
          </Button>
        ) : null}
        {!o && bed.status !== 'blocked' && canClean ? (
          <Button variant="light" color="gray" onClick={() => open({ kind: 'reason', bed, action: 'block' })}>
            Block bed
          </Button>
        ) : null}
        {bed.status === 'blocked' && canClean ? (
          <Button onClick={act('unblock', `${bed.name} unblocked; it needs cleaning.`)}>Unblock</Button>
        ) : null}
      </Group>
    </Stack>
  );
}
