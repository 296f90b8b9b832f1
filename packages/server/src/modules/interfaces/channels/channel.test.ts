import { describe, expect, it } from 'vitest';
import { accepts, defaultChannel, parseChannels } from './channel.js';

describe('channels', () => {
  it('accepts by exact type, by message code and by *', () => {
    const c = { ...defaultChannel(1), accept: ['ORU^R01', 'ADT^*'] };
    expect(accepts(c, 'ORU^R01')).toBe(true);
    expect(accepts(c, 'ADT^A08')).toBe(true);
    expect(accepts(c, 'ORU^R30')).toBe(false);
    expect(accepts(defaultChannel(1), 'SIU^S12')).toBe(true);
  });

  it('reads a channels file, the first channel on the MLLP port', () => {
    const [lab, adt] = parseChannels(
      {
        inbound: [
          { name: 'lab', accept: ['ORU^R01'], timezone: '-05:00' },
          { name: 'adt', port: 2601, accept: ['ADT^*'], maxAttempts: 5 },
        ],
      },
      2575,
    );
    expect(lab).toMatchObject({ name: 'lab', port: 2575, timezone: '-05:00', maxAttempts: 3 });
    expect(adt).toMatchObject({ port: 2601, accept: ['ADT^*'], maxAttempts: 5 });
  });

  it('lists every problem at once', () => {
    expect(() =>
      parseChannels(
        {
          inbound: [
            { name: 'a', accept: ['MDM^T02'], timezone: 'CET' },
            { name: 'a', port: 'x', idleTimeoutSeconds: -1 },
          ],
        },
        2575,
      ),
    ).toThrow(
      /inbound\[0\]\.accept: MDM\^T02 cannot be mapped yet.*inbound\[0\]\.timezone.*inbound\[1\]\.port.*idleTimeoutSeconds.*unique/,
    );
    expect(() => parseChannels({}, 2575)).toThrow(/"inbound" array/);
  });
});
