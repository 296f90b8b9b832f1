/** Shared setup of the outbound HL7 v2 suites: a peer to deliver to, channels to it, patients, encounters. */
import { createRepository, type Database, type Repository, type TestDatabase } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { buildAck, createMllpServer, type Hl7Message, type MllpServer, parseMessage } from '@hospitium/hl7v2';
import { afterAll, beforeAll } from 'vitest';
import {
  type OutboundChannel,
  parseOutboundChannels,
} from '../modules/interfaces/channels/outbound-channel.js';
import { Interfaces } from '../modules/interfaces/interfaces.js';
import { testPatient } from './fixtures.js';
import { testBaseUrl } from './test-server.js';

/** A logger that says nothing. */
export const silent = { error() {}, warn() {}, info() {} };

/** A peer's MLLP listener that records what arrives and answers as `answer` says. */
export class Peer {
  readonly received: Hl7Message[] = [];
  answer: (m: Hl7Message) => 'AA' | 'AE' | 'AR' = () => 'AA';
  private server?: MllpServer;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createMllpServer({
      handler: async (text) => {
        const m = parseMessage(text);
        this.received.push(m);
        const code = this.answer(m);
        return buildAck(m, { code, ...(code === 'AA' ? {} : { text: 'peer says no' }) }).toString();
      },
    });
    this.port = await this.server.listen(port, '127.0.0.1');
    return this;
  }
  async stop(): Promise<void> {
    await this.server?.close();
  }
  types(): string[] {
    return this.received.map((m) => `${m.messageCode}^${m.triggerEvent}`);
  }
}

/** Polls `probe` every 25 ms until it gives a value, or throws after `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * How many outbound channels `deliverTo` has made in this test file: each takes it as its name's
 * suffix, and tests use it for identifiers of their own. A live binding: importers see it change.
 */
export let channelCount = 0;

/** A new patient, written with `repo`. */
export const patientIn = async (repo: Repository) => repo.createResource(testPatient());

/** An inpatient Encounter of `patient` with `fields` over a planned default. */
export const encounterOf = (patient: Resource, fields: Record<string, unknown>): Resource => ({
  resourceType: 'Encounter',
  status: 'planned',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  subject: { reference: `Patient/${patient.id}` },
  ...fields,
});

/**
 * Registers, inside `describe.each(testDatabases())`, the hooks that open a database before the
 * suite's tests (`onOpen` receives it and a plain repository on it) and, after them, stop every
 * engine and peer in `running` and close the database. Returns `running` and `deliverTo`.
 */
export function outboundHarness(
  open: TestDatabase['open'],
  onOpen: (opened: { db: Database; reader: Repository }) => void,
) {
  let db: Database;
  const running: { interfaces: Interfaces; peer?: Peer }[] = [];
  beforeAll(async () => {
    db = await open();
    onOpen({ db, reader: createRepository(db) });
  });
  afterAll(async () => {
    for (const r of running) {
      await r.interfaces.close();
      await r.peer?.stop();
    }
    await db?.close();
  });

  /** Interfaces with one outbound channel to `port`, its delivery worker running, and a writing repository. */
  function deliverTo(port: number, channel: Record<string, unknown> = {}, peer?: Peer) {
    const [outbound] = parseOutboundChannels([
      {
        name: `dest${channelCount++}`,
        host: '127.0.0.1',
        port,
        events: ['*'],
        receivingApplication: 'PEER',
        receivingFacility: 'WARD',
        ackTimeoutSeconds: 2,
        retryDelaySeconds: 0.05,
        maxRetryDelaySeconds: 0.4,
        ...channel,
      },
    ]);
    const interfaces = new Interfaces({
      db,
      baseUrl: testBaseUrl,
      logger: silent,
      channels: [],
      outbound: [outbound],
      outboundPollIntervalMs: 50,
    });
    interfaces.outbound?.start();
    running.push({ interfaces, peer });
    return {
      interfaces,
      channel: outbound as OutboundChannel,
      repo: createRepository(db, interfaces.repositoryOptions),
    };
  }

  return { running, deliverTo };
}
