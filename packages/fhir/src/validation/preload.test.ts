import { describe, expect, it, vi } from 'vitest';

// Count reads of the definition files; the real reader still does the work.
vi.mock('../definitions/load.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../definitions/load.js')>();
  return { ...original, readDefinitionFile: vi.fn(original.readDefinitionFile) };
});

const { readDefinitionFile, releaseDefinitionFiles } = await import('../definitions/load.js');
const { preloadValidator, validateResource } = await import('./index.js');

describe('preloadValidator', () => {
  it('reads the definition files once; validation afterwards needs none of them', () => {
    preloadValidator();
    const reads = vi.mocked(readDefinitionFile).mock.calls.map(([file]) => file);
    expect(reads).toEqual(
      expect.arrayContaining(['profiles-types.json', 'profiles-resources.json', 'valuesets.json']),
    );
    releaseDefinitionFiles();
    vi.mocked(readDefinitionFile).mockClear();

    // Types not compiled yet, and a required binding, all from the reduced index.
    const issues = validateResource({ resourceType: 'VisionPrescription', status: 'bogus' });
    expect(issues.map((i) => i.code)).toContain('code-invalid');
    expect(
      validateResource({
        resourceType: 'Questionnaire',
        status: 'draft',
        item: [{ linkId: '1', type: 'x' }],
      }),
    ).toHaveLength(1);
    expect(readDefinitionFile).not.toHaveBeenCalled();
  });
});
