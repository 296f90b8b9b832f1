import type { FhirContext, FhirRequest, FhirResponse } from '../../types.js';
import { processBundle } from './process-bundle.js';

/** `POST [base]` with a transaction or batch Bundle; answers 200 with the response Bundle. */
export async function bundleInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const body = await processBundle(req.body, ctx, { prefer: req.headers.prefer });
  return { status: 200, headers: {}, body };
}
