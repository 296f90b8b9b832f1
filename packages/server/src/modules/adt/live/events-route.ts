import { unauthorized } from '@hospitium/fhir';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../../auth/policy/authorize.js';
import { requestAccessOrAnonymous } from '../../../auth/tokens/request-access.js';
import type { FhirContext } from '../../../fhir/types.js';
import type { BedBoardHub } from './hub.js';

const openStreamsKey = 'bedBoardStreams';

/** How many bed board streams the app holds open now (tests check that disconnects leave none). */
export function openBedBoardStreams(app: FastifyInstance): number {
  const count = (app as unknown as Record<string, (() => number) | undefined>)[openStreamsKey];
  return count ? count() : 0;
}

/** Where the live bed board stream is served. */
export const bedBoardEventsPath = '/fhir/Location/$bed-board-events';

/**
 * `GET /fhir/Location/$bed-board-events`: a server-sent-events stream of bed board changes,
 * for boards that stay open. Authenticated with the bearer token like every FHIR request (a
 * browser reads it with fetch streaming so it can send the header) and authorised as the bed
 * board itself. First event `ready` (the board loads or reloads then, so nothing between its
 * last load and the subscription is missed), then one `change` event per committed write
 * that touches beds, encounters, cleaning Tasks or appointments: `{"changes":[{"type","id","beds"}]}`
 * (or `{"more":true}`: reload everything). The events carry ids only, no patient data.
 */
export function registerBedBoardEvents(
  app: FastifyInstance,
  hub: BedBoardHub,
  ctx: Omit<FhirContext, 'access' | 'audit'>,
): void {
  const open = new Set<() => void>();
  app.decorate(openStreamsKey, () => open.size);
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get(bedBoardEventsPath, async (request: FastifyRequest, reply: FastifyReply) => {
    // Refusals are thrown: the app's error hook answers them as OperationOutcomes.
    const access = requestAccessOrAnonymous(request);
    if (access.kind === 'anonymous') throw unauthorized('The bed board stream needs a bearer token');
    await authorize(
      {
        method: 'GET',
        segments: ['Location', '$bed-board-events'],
        query: new URLSearchParams(),
        headers: {},
        body: undefined,
      },
      { ...ctx, access },
    );
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const write = (text: string) => {
      if (!res.writableEnded) res.write(text);
    };
    const unsubscribe = hub.subscribe(write);
    const end = () => {
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    request.raw.on('close', end);
    res.on('error', end);
    write('retry: 3000\nevent: ready\ndata: {}\n\n');
  });
}
