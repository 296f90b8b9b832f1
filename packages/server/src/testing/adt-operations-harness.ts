/** Shared setup of the ADT operation suites: a test server with an eight-bed ward, and bed lookups. */
import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll } from 'vitest';
import { createTestWard, params, type TestWard } from './adt-ward.js';
import type { TestServer } from './test-server.js';

/** An Encounter as the ADT operations return it, with the fields the tests look at. */
export type Enc = Resource & {
  status: string;
  class?: { code?: string };
  location?: {
    location: { reference?: string };
    status?: string;
    period?: { start?: string; end?: string };
  }[];
  hospitalization?: { dischargeDisposition?: { coding?: { code?: string }[] } };
  period?: { end?: string };
};

/** A bed's operationalStatus code (U clean, O occupied, H dirty, C blocked …). */
export const bedStatus = async (server: TestServer, id: string) =>
  ((await server.get(`Location/${id}`)).body as { operationalStatus?: { code?: string } }).operationalStatus
    ?.code;

/**
 * Registers, inside `describe.each(testServers())`, the hooks that start a server and create an
 * eight-bed ward with eight patients before the suite's tests (`onStart` receives both) and close
 * the server after. Returns `admit`, which posts `Encounter/$admit` for a patient and a bed.
 */
export function adtHarness(
  start: () => Promise<TestServer>,
  onStart: (started: { server: TestServer; ward: TestWard }) => void,
) {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
    onStart({ server, ward: await createTestWard(server, { beds: 8, patients: 8 }) });
  });
  afterAll(async () => {
    await server?.close();
  });

  const admit = (patient: string, bed: string, extra: Record<string, string> = {}) =>
    server.post(
      'Encounter/$admit',
      params({
        patient: `Patient/${patient}`,
        bed: `Location/${bed}`,
        admitSource: { code: 'emd' },
        ...extra,
      }),
    );
  return { admit };
}
