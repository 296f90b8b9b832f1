import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import type { OperationOutcomeIssue } from '../outcome/outcome.js';
import { validateResource } from './index.js';

const errors = (value: unknown): OperationOutcomeIssue[] =>
  validateResource(value).filter((i) => i.severity === 'error' || i.severity === 'fatal');

/** Readable failure output: which element, what problem. */
const summary = (issues: OperationOutcomeIssue[]) =>
  issues.map((i) => `${i.expression?.join(', ')}: ${i.details?.text}`);

/**
 * Spec examples in the corpus that are not valid R4 JSON, with the issue that proves it.
 * Each must keep failing in exactly this way: if one starts to pass, the validator has gone lax.
 */
const knownInvalidExamples: Record<
  string,
  { reason: string; issues: Pick<OperationOutcomeIssue, 'code' | 'expression'>[] }
> = {
  'activitydefinition-example.json': {
    reason:
      'the cqf-expression extension of a dateTime is written inside "event" instead of the "_event" sibling ' +
      '(https://hl7.org/fhir/R4/json.html#primitive), so event[0] is an object where a dateTime string belongs',
    issues: [{ code: 'structure', expression: ['ActivityDefinition.timingTiming.event[0]'] }],
  },
};

describe.skipIf(!corpusDir)(
  `R4 specification examples${corpusDir ? '' : ` (skipped: ${corpusMissingReason})`}`,
  () => {
    const files = corpusDir ? listCorpus('fhir-examples', 'r4').filter((f) => f.endsWith('.json')) : [];

    it('finds the examples', () => {
      expect(files.length).toBeGreaterThanOrEqual(150);
    });

    it.each(files.filter((f) => !(f in knownInvalidExamples)))('%s validates with zero errors', (file) => {
      expect(summary(errors(readCorpusJson('fhir-examples', 'r4', file)))).toEqual([]);
    });

    it.each(Object.entries(knownInvalidExamples))('%s is known to be invalid R4', (file, known) => {
      const issues = errors(readCorpusJson('fhir-examples', 'r4', file));
      expect(
        issues.map((i) => ({ code: i.code, expression: i.expression })),
        known.reason,
      ).toEqual(known.issues);
    });
  },
);

describe.skipIf(!corpusDir)(`Synthea bundles${corpusDir ? '' : ` (skipped: ${corpusMissingReason})`}`, () => {
  const files = corpusDir ? listCorpus('synthea', 'fhir-r4').filter((f) => f.endsWith('.json.gz')) : [];

  it('finds the 30 patients and the hospital and practitioner bundles', () => {
    expect(files.filter((f) => !f.startsWith('_'))).toHaveLength(30);
    expect(files.filter((f) => f.startsWith('_'))).toHaveLength(2);
  });

  it.each(files)('%s: the bundle and each of its resources validate with zero errors', (file) => {
    const bundle = readCorpusJson<{ resourceType: string; entry: { resource: unknown }[] }>(
      'synthea',
      'fhir-r4',
      file,
    );
    expect(bundle.entry.length).toBeGreaterThan(0);
    expect(summary(errors(bundle))).toEqual([]);
    // The importer validates entry by entry, as a client posting each resource would be.
    const failing = bundle.entry.flatMap((e) => summary(errors(e.resource)));
    expect(failing).toEqual([]);
  });
});
