/** MLLP framing (HL7 v2 Transport Specification: MLLP release 2 block format). */
export const START_BLOCK = 0x0b;
export const END_BLOCK = 0x1c;
export const CARRIAGE_RETURN = 0x0d;

/** Wraps a message in `<VT> … <FS><CR>`. */
export function frame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  const out = Buffer.allocUnsafe(body.length + 3);
  out[0] = START_BLOCK;
  body.copy(out, 1);
  out[body.length + 1] = END_BLOCK;
  out[body.length + 2] = CARRIAGE_RETURN;
  return out;
}

/** What the decoder found in a chunk: whole messages, and messages cut off for being too large. */
export type FrameEvent =
  | { kind: 'message'; payload: Buffer }
  | { kind: 'oversize'; head: Buffer; size: number };

/**
 * Reassembles MLLP frames from TCP chunks: a frame may span chunks and a chunk may hold several
 * frames. Bytes outside a frame (line noise, keep-alive newlines) are skipped. A frame larger
 * than `maxBytes` is not buffered past the limit: its start is kept (to address the rejection)
 * and the rest discarded up to its end block.
 */
export class FrameDecoder {
  private parts: Buffer[] = [];
  private size = 0;
  private inFrame = false;
  private oversize = false;
  private pendingEnd = false;

  constructor(private readonly maxBytes: number) {}

  /** True while a frame has started and not ended (used for idle-timeout decisions and tests). */
  get partial(): boolean {
    return this.inFrame;
  }

  push(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    let i = 0;
    if (this.pendingEnd) {
      // The previous chunk ended on <FS>; this byte decides whether it closed the frame.
      this.pendingEnd = false;
      if (chunk[0] === CARRIAGE_RETURN) {
        this.finish(events);
        i = 1;
      } else this.append(Buffer.from([END_BLOCK]));
    }
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(START_BLOCK, i);
        if (start === -1) break;
        this.inFrame = true;
        this.parts = [];
        this.size = 0;
        this.oversize = false;
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(END_BLOCK, i);
      if (end === -1) {
        this.append(chunk.subarray(i));
        break;
      }
      if (end === chunk.length - 1) {
        this.append(chunk.subarray(i, end));
        this.pendingEnd = true;
        break;
      }
      if (chunk[end + 1] === CARRIAGE_RETURN) {
        this.append(chunk.subarray(i, end));
        this.finish(events);
        i = end + 2;
      } else {
        // A lone <FS> inside the payload is data, not the end of the block.
        this.append(chunk.subarray(i, end + 1));
        i = end + 1;
      }
    }
    return events;
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const room = this.maxBytes - this.size;
    if (!this.oversize && bytes.length <= room) {
      this.parts.push(Buffer.from(bytes));
    } else {
      if (!this.oversize && room > 0) this.parts.push(Buffer.from(bytes.subarray(0, room)));
      this.oversize = true;
    }
    this.size += bytes.length;
  }

  private finish(events: FrameEvent[]): void {
    const payload = Buffer.concat(this.parts);
    events.push(
      this.oversize ? { kind: 'oversize', head: payload, size: this.size } : { kind: 'message', payload },
    );
    this.inFrame = false;
    this.parts = [];
    this.size = 0;
    this.oversize = false;
  }
}
