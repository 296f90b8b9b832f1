import { type Bundle, badRequest, forbidden, isResource, type Resource } from '@hospitium/fhir';
import { authorize, checksResponses } from '../../../auth/policy/authorize.js';
import { parsePrefer } from '../../headers.js';
import type { FhirContext } from '../../types.js';
import { runBatch } from './batch.js';
import { entryRequest, type PlannedEntry, planEntry } from './entries.js';
import { entryFailure } from './entry-response.js';
import { runTransaction } from './transaction.js';

export interface ProcessBundleOptions {
  /** The client's `Prefer` header: `return=minimal` leaves resources out of the response entries. */
  prefer?: string;
  /**
   * Transactions only: called for each conditional write (`ifNoneExist`, `PUT [type]?criteria`)
   * with what its criteria matched, before anything is written; may complete the entry's
   * resource in place, or throw to fail the transaction as it is. The HL7 engine carries over
   * here what a v2 message does not convey.
   */
  onConditionalMatch?: (index: number, matches: readonly Resource[], resource: Resource | undefined) => void;
  /**
   * Transactions only: a conditional update whose resource is what it matched already (meta
   * aside) writes no new version; its response entry has the current version and an
   * informational outcome saying so (`unchangedCode`). For feeds that resend everything.
   */
  skipUnchanged?: boolean;
}

/**
 * Processes a `transaction` or `batch` Bundle (R4 http.html#transaction) and returns the
 * `transaction-response` / `batch-response` Bundle. A failed transaction throws an
 * OperationOutcomeError naming the entry; a batch reports failures per entry. Other bundle
 * types → 400 (store them with `POST [base]/Bundle`). Takes ownership of `bundle`: entry
 * resources are modified in place (ids, rewritten references) to avoid copying large imports.
 */
export async function processBundle(
  bundle: unknown,
  ctx: FhirContext,
  options: ProcessBundleOptions = {},
): Promise<Bundle> {
  if (!isResource(bundle) || bundle.resourceType !== 'Bundle') {
    throw badRequest('POST to the FHIR base takes a Bundle of type transaction or batch', 'resourceType');
  }
  const type = bundle.type;
  if (type !== 'transaction' && type !== 'batch') {
    throw badRequest(
      `Bundle.type '${String(type)}' cannot be processed; only transaction and batch can (POST other bundles to Bundle to store them)`,
      'Bundle.type',
    );
  }
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) throw badRequest('Bundle.entry must be an array', 'Bundle.entry');
  const prefer = parsePrefer(options.prefer).return ?? 'representation';
  if (type === 'batch') return runBatch(entries, ctx, prefer);

  const planned: PlannedEntry[] = [];
  for (const [index, raw] of entries.entries()) {
    try {
      const entry = planEntry(raw, index, ctx.baseUrl);
      // Every entry is authorised before anything runs: a transaction is all or nothing.
      const request = entryRequest(entry);
      if (checksResponses(ctx.access) && [...request.query.keys()].some(includes)) {
        throw forbidden(
          'Inside a transaction, _include and _revinclude are not available to staff users (their results are checked per patient); send the search as its own request',
        );
      }
      await authorize(request, ctx);
      planned.push(entry);
    } catch (err) {
      const request = (raw as { request?: { method?: string; url?: string } } | null)?.request;
      throw entryFailure({ index, method: request?.method, url: request?.url }, err);
    }
  }
  return runTransaction(planned, ctx, prefer, options);
}

const includes = (name: string): boolean => name.startsWith('_include') || name.startsWith('_revinclude');
