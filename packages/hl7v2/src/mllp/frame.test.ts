import { describe, expect, it } from 'vitest';
import { FrameDecoder, frame } from './frame.js';

const texts = (events: ReturnType<FrameDecoder['push']>) =>
  events.map((e) => (e.kind === 'message' ? e.payload.toString() : `oversize:${e.size}`));

describe('FrameDecoder', () => {
  it('reassembles a frame split at every possible byte, end block included', () => {
    const bytes = frame('MSH|^~\\&|A\rPID|1\r');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new FrameDecoder(1024);
      const out = [...texts(d.push(bytes.subarray(0, cut))), ...texts(d.push(bytes.subarray(cut)))];
      expect(out).toEqual(['MSH|^~\\&|A\rPID|1\r']);
    }
  });

  it('reads several frames in one chunk and skips noise between them', () => {
    const d = new FrameDecoder(1024);
    const chunk = Buffer.concat([
      Buffer.from('\r\n'),
      frame('one'),
      Buffer.from('xx'),
      frame('two'),
      frame('thr'),
    ]);
    expect(texts(d.push(chunk))).toEqual(['one', 'two', 'thr']);
  });

  it('keeps a lone FS inside the payload as data', () => {
    const d = new FrameDecoder(1024);
    expect(texts(d.push(Buffer.from('\x0ba\x1cb\x1c\r')))).toEqual(['a\x1cb']);
  });

  it('caps an oversize frame and recovers for the next one', () => {
    const d = new FrameDecoder(10);
    const out = texts(d.push(Buffer.concat([frame('x'.repeat(50)), frame('ok')])));
    expect(out).toEqual(['oversize:50', 'ok']);
  });
});
