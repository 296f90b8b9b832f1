import type { FastifyInstance } from 'fastify';

/**
 * The AuditEvents matching `query` (`type=110114`) that were stored while `act` ran, in the
 * search's order: the ones found before are left out. For tests of what an action audits.
 */
export async function auditEventsDuring<E extends { id?: string }>(
  app: FastifyInstance,
  headers: () => Promise<Record<string, string>>,
  query: string,
  act: () => Promise<void>,
): Promise<E[]> {
  const search = async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/fhir/AuditEvent?${query}`,
      headers: await headers(),
    });
    return ((res.json() as { entry?: { resource: E }[] }).entry ?? []).map((e) => e.resource);
  };
  const before = new Set((await search()).map((e) => e.id));
  await act();
  return (await search()).filter((e) => !before.has(e.id));
}
