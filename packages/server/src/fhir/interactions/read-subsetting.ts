import { badRequest, type Resource } from '@hospitium/fhir';
import { parseElements, type Subsetting, subsetResource } from '../search/summary.js';

/**
 * `_summary` and `_elements` on read and vread (R4 search.html#summary applies them to any
 * interaction that returns a resource). Other query parameters on a read are ignored, as R4 allows.
 * Returns undefined when the client asked for the whole resource.
 */
export function readSubsetting(resourceType: string, query: URLSearchParams): Subsetting | undefined {
  const summary = query.getAll('_summary');
  const elements = query.getAll('_elements');
  if (summary.length > 1 || elements.length > 1) {
    throw badRequest('_summary and _elements may each appear once on a read');
  }
  if (summary.length === 1 && elements.length === 1) {
    throw badRequest('_summary and _elements cannot be combined', 'http._summary');
  }
  if (summary.length === 1) {
    const mode = summary[0];
    if (mode === 'false') return undefined;
    if (mode === 'true' || mode === 'text' || mode === 'data') return { summary: mode };
    throw badRequest(`_summary on a read must be true, text, data or false (got '${mode}')`, 'http._summary');
  }
  if (elements.length === 1) return { elements: parseElements(resourceType, elements[0]) };
  return undefined;
}

/** The resource as the subsetting asks; JSON text in, JSON text out. */
export function subsetText(text: string, subsetting: Subsetting): string {
  return JSON.stringify(subsetResource(JSON.parse(text) as Resource, subsetting));
}
