import { memo } from 'react';
import { type BedView, sexAge, sinceText, statusLabels } from './bed-board-view';

/** The symbol shown with each status, so the status reads without colour. */
export const statusSymbols = { occupied: '●', clean: '✓', dirty: '✗', cleaning: '↻', blocked: '⊘' } as const;

/**
 * One bed on the board: its name, status (colour, symbol and word), and its occupant (name, MRN,
 * sex and age, attending, time in bed). A button: Enter or a tap opens the bed's actions.
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
  const label = `Bed ${bed.name}, ${statusLabels[bed.status]}${o ? `, ${o.name}${o.onLeave ? ', on leave' : ''}` : ''}`;
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
        </>
      ) : bed.reason ? (
        <span className="bb-meta" style={{ display: 'block' }}>
          {bed.reason}
        </span>
      ) : null}
    </button>
  );
});
