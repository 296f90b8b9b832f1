import { memo } from 'react';
import { type BedView, sexAge, sinceText, statusLabels, whenText } from './bed-board-view';

/** The symbol shown with each status, so the status reads without colour. */
export const statusSymbols = { occupied: '●', clean: '✓', dirty: '✗', cleaning: '↻', blocked: '⊘' } as const;

/** The symbols of what is planned for an occupant (always with their words). */
export const planSymbols = { transfer: '⇄', discharge: '⌂' } as const;

/**
 * One bed on the board: its name, status (colour, symbol and word), and its occupant (name, MRN,
 * sex and age, attending, time in bed), and what is planned for them (a pending transfer, an
 * expected discharge; symbol and words, never colour alone). A button: Enter or a tap opens the bed's actions.
 */
export const BedTile = memo(function BedTile({
  bed,
  now,
  onOpen,
}: {
  bed: BedView;
  now: Date;
  onOpen: (bed: BedView) => void;
}) {
  const o = bed.occupant;
  const transfer = o?.pendingTransfer;
  const discharge = o?.expectedDischarge;
  const transferText = transfer ? `Transfer to ${transfer.to ?? 'another bed'} requested` : undefined;
  const dischargeText = discharge ? `Discharge expected ${whenText(discharge.time, now)}` : undefined;
  const label = `Bed ${bed.name}, ${statusLabels[bed.status]}${o ? `, ${o.name}${o.onLeave ? ', on leave' : ''}` : ''}${[transferText, dischargeText].map((t) => (t ? `, ${t}` : '')).join('')}`;
  return (
    <button
      type="button"
      className={`bb-bed bb-${bed.status}`}
      aria-label={label}
      onClick={() => onOpen(bed)}
    >
      <span className="bb-bed-head">
        <span className="bb-bed-name">{bed.name}</span>
        <span className="bb-status">
          <span aria-hidden="true">{statusSymbols[bed.status]} </span>
          {o?.onLeave ? 'On leave' : statusLabels[bed.status]}
        </span>
      </span>
      {o ? (
        <>
          <span className="bb-patient" style={{ display: 'block' }}>
            {o.name}
          </span>
          <span className="bb-meta" style={{ display: 'block' }}>
            {[o.mrn, sexAge(o)].filter(Boolean).join(' · ')}
          </span>
          <span className="bb-meta" style={{ display: 'block' }}>
            {[o.attending, sinceText(o.since, now)].filter(Boolean).join(' · ')}
          </span>
          {transferText ? (
            <span className="bb-plan" style={{ display: 'block' }}>
              <span aria-hidden="true">{planSymbols.transfer} </span>
              {transferText}
            </span>
          ) : null}
          {dischargeText ? (
            <span className="bb-plan" style={{ display: 'block' }}>
              <span aria-hidden="true">{planSymbols.discharge} </span>
              {dischargeText}
            </span>
          ) : null}
        </>
      ) : bed.reason ? (
        <span className="bb-meta" style={{ display: 'block' }}>
          {bed.reason}
        </span>
      ) : null}
    </button>
  );
});
