import { ErrorCode, Hl7ParseError } from './errors.js';

/** A parsed accessor path such as `PID-3[2].4.1` or `OBX[3]-5`. All numbers 1-based. */
export interface Hl7Path {
  segment: string;
  /** Which occurrence of the segment (default 1). */
  sequence: number;
  field: number;
  repetition: number;
  /** Undefined: the whole repetition's first component… see `get`. */
  component?: number;
  subcomponent?: number;
}

const pathPattern = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?-(\d+)(?:\[(\d+)\])?(?:\.(\d+))?(?:\.(\d+))?$/;

/**
 * Parses `SEG[seq]-field[rep].component.subcomponent` (`PID-3[1].1`, `OBX[2]-5`, `MSH-9.2`).
 * A malformed path is a programming error, reported as an Hl7ParseError like every codec error.
 */
export function parsePath(path: string): Hl7Path {
  const m = pathPattern.exec(path.trim());
  if (!m) throw new Hl7ParseError(ErrorCode.applicationInternalError, `Invalid HL7 path '${path}'`);
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const path_: Hl7Path = {
    segment: m[1],
    sequence: num(m[2]) ?? 1,
    field: Number(m[3]),
    repetition: num(m[4]) ?? 1,
    component: num(m[5]),
    subcomponent: num(m[6]),
  };
  if ([path_.sequence, path_.repetition, path_.component ?? 1, path_.subcomponent ?? 1].some((n) => n < 1)) {
    throw new Hl7ParseError(
      ErrorCode.applicationInternalError,
      `Invalid HL7 path '${path}': positions start at 1`,
    );
  }
  return path_;
}
