import { createRepository, type Database, type Repository, type TestDatabase } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { type Hl7Message, parseMessage } from '@hospitium/hl7v2';
import { afterAll, beforeAll } from 'vitest';
import { defaultChannel, type InboundChannel } from '../channels/channel.js';
import { InterfaceEngine, type Receipt } from '../engine/engine.js';

/** The engine tests' setup, shared: a fresh database, an engine on it, and ways to send and look. */

/** Quiet, unless DEBUG_HL7 is set: then the engine's errors are printed. */
export const silentLogger = {
  error(o: object) {
    if (process.env.DEBUG_HL7) console.log(o);
  },
  warn() {},
  info() {},
};

/** The assigning authority of the fixtures' MRNs and visit numbers. */
export const mrnSystem = 'urn:oid:2.16.840.1.113883.19.5';

let n = 0;
/** `prefix` plus something no other call in this process returns (MRNs, visits, control ids). */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${n++}`;

/** The default inbound channel, in the fixtures' time zone. */
export const testChannel: InboundChannel = { ...defaultChannel(0), timezone: '+01:00' };

export interface EngineHarness {
  /** Set once the suite's beforeAll has run. */
  db: Database;
  engine: InterfaceEngine;
  repo: Repository;
  /** Receives a message on testChannel from 10.0.0.9; the receipt and its parsed ACK. */
  send(text: string): Promise<Receipt & { reply: Hl7Message }>;
  /** Up to 50 resources of a type by one search parameter. */
  find(type: string, param: string, value: string): Promise<Resource[]>;
}

/**
 * Registers the suite's beforeAll (open the database, make the engine) and afterAll (close it)
 * in the calling `describe`, and returns the harness they fill.
 */
export function engineHarness(open: TestDatabase['open']): EngineHarness {
  const h = {
    async send(text: string) {
      const receipt = await h.engine.receive(text, testChannel, { remoteAddress: '10.0.0.9' });
      return { ...receipt, reply: parseMessage(receipt.ack) };
    },
    async find(type: string, param: string, value: string) {
      const found = await h.repo.search({
        resourceType: type,
        filters: [{ code: param, values: [value] }],
        count: 50,
      });
      return found.resources;
    },
  } as EngineHarness;
  beforeAll(async () => {
    h.db = await open();
    h.engine = new InterfaceEngine({ db: h.db, baseUrl: 'http://test.hospitium/fhir', logger: silentLogger });
    h.repo = createRepository(h.db);
  });
  afterAll(() => h.db?.close());
  return h;
}
