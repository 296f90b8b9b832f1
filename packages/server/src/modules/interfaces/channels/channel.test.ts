import { describe, expect, it } from 'vitest';
import { accepts, defaultChannel, parseChannels } from './channel.js';
import {
  orderMessage,
  parseChannelsFile,
  parseOutboundChannels,
  retryDelayMs,
  wantsEvent,
} from './outbound-channel.js';

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
            { name: 'a', accept: ['BAR^P01'], timezone: 'CET' },
            { name: 'a', port: 'x', idleTimeoutSeconds: -1 },
          ],
        },
        2575,
      ),
    ).toThrow(
      /inbound\[0\]\.accept: BAR\^P01 cannot be mapped yet.*inbound\[0\]\.timezone.*inbound\[1\]\.port.*idleTimeoutSeconds.*unique/,
    );
    expect(() => parseChannels({}, 2575)).toThrow(/"inbound" array/);
  });
});

describe('outbound channels', () => {
  it('reads outbound channels with defaults, beside the default inbound channel', () => {
    const { inbound, outbound } = parseChannelsFile(
      { outbound: [{ name: 'lis', host: 'lis.local', port: 2600, events: ['ORM^O01', 'ADT^*'] }] },
      2575,
    );
    expect(inbound).toEqual([defaultChannel(2575)]);
    expect(outbound[0]).toMatchObject({
      name: 'lis',
      host: 'lis.local',
      port: 2600,
      version: '2.5.1',
      sendingApplication: 'HOSPITIUM',
      receivingApplication: 'lis',
      ackTimeoutSeconds: 30,
      maxAttempts: 10,
    });
    expect(wantsEvent(outbound[0], 'ADT^A08')).toBe(true);
    expect(wantsEvent(outbound[0], 'ORU^R01')).toBe(false);
    expect(orderMessage(outbound[0])).toBe('ORM^O01');
    expect(orderMessage({ ...outbound[0], events: ['OML^O21'] })).toBe('OML^O21');
  });

  it('backs off exponentially up to the cap', () => {
    const [c] = parseOutboundChannels([
      { name: 'x', host: 'h', port: 1, events: ['*'], retryDelaySeconds: 2, maxRetryDelaySeconds: 10 },
    ]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(c, n))).toEqual([2000, 4000, 8000, 10000, 10000]);
  });

  it('lists every problem of both sections at once', () => {
    expect(() =>
      parseChannelsFile(
        {
          inbound: [{ name: 'a', timezone: 'CET' }],
          outbound: [
            { name: 'x', port: 70000, events: ['MDM^T02', 'bad'], version: '3.0', maxAttempts: 0 },
            { name: 'x', host: 'h', port: 1, events: [] },
          ],
        },
        2575,
      ),
    ).toThrow(
      /inbound\[0\]\.timezone.*outbound\[0\]\.host is required.*outbound\[0\]\.port.*outbound\[0\]\.events.*outbound\[0\]\.version.*outbound\[0\]\.maxAttempts.*outbound\[1\]\.events.*outbound channel names must be unique/,
    );
  });
});
