import type { Delimiters } from './delimiters.js';
import { parsePath } from './path.js';
import type { Hl7Segment } from './segment.js';

/** One HL7 v2 message: its delimiters and segments in order (Z-segments included). */
export class Hl7Message {
  constructor(
    readonly segments: Hl7Segment[],
    readonly delimiters: Delimiters,
  ) {}

  /** The MSH segment (always the first). */
  get header(): Hl7Segment {
    return this.segments[0];
  }

  /** MSH-9.1 message code (`ADT`), MSH-9.2 trigger event (`A01`), MSH-9.3 structure. */
  get messageCode(): string | undefined {
    return this.header.value(9, 1, 1);
  }
  get triggerEvent(): string | undefined {
    return this.header.value(9, 1, 2);
  }
  get messageStructure(): string | undefined {
    return this.header.value(9, 1, 3);
  }
  /** MSH-10 message control id. */
  get controlId(): string | undefined {
    return this.header.value(10);
  }
  /** MSH-12.1 version id (`2.5.1`). */
  get version(): string | undefined {
    return this.header.value(12);
  }

  /** The n-th (1-based) segment with this id, or undefined. */
  segment(name: string, sequence = 1): Hl7Segment | undefined {
    let seen = 0;
    for (const s of this.segments) {
      if (s.name === name && ++seen === sequence) return s;
    }
    return undefined;
  }

  /** Every segment with this id, in order. */
  segmentsNamed(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }

  /**
   * Reads one value by path: `msg.get('PID-3[1].1')`, `msg.get('MSH-9.2')`, `msg.get('OBX[2]-5')`.
   * Without a component, gives the first component (with subcomponents joined); escape sequences
   * are decoded. Absent or empty → undefined.
   */
  get(path: string): string | undefined {
    const p = parsePath(path);
    const seg = this.segment(p.segment, p.sequence);
    if (!seg) return undefined;
    if (p.component === undefined) return seg.component(p.field, p.repetition, 1);
    if (p.subcomponent === undefined) return seg.component(p.field, p.repetition, p.component);
    return seg.value(p.field, p.repetition, p.component, p.subcomponent);
  }

  /** The message as text, segments ended by CR (the v2 segment terminator). */
  toString(): string {
    return `${this.segments.map((s) => s.toString()).join('\r')}\r`;
  }
}
