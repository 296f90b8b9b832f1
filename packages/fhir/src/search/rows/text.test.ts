import { describe, expect, it } from 'vitest';
import type { Resource } from '../../types.js';
import { extractIndexes } from '../index.js';
import { MAX_SEARCH_TEXT, narrativeWords, textRow } from './text.js';

describe('narrativeWords', () => {
  it('turns tags into spaces, decodes character references, folds case and accents', () => {
    expect(
      narrativeWords('<div xmlns="http://www.w3.org/1999/xhtml"><p>Heart&nbsp;<b>failure</b></p></div>'),
    ).toBe('heart failure');
    expect(narrativeWords('<table><tr><td>Asthma</td><td>smoker</td></tr></table>')).toBe('asthma smoker');
    expect(narrativeWords('<p>Léon &amp; Zoë &#233;t&#xE9; &lt;5 mg&gt; &bogus;</p>')).toBe(
      'leon & zoe ete <5 mg> &bogus;',
    );
  });
});

describe('textRow', () => {
  it('gives the narrative words and every string but ids, meta, references, systems and urls', () => {
    const condition: Resource = {
      resourceType: 'Condition',
      id: 'c1',
      meta: { versionId: '3', tag: [{ system: 'http://example.org/tags', code: 'secret-tag' }] },
      text: {
        status: 'generated',
        div: '<div xmlns="http://www.w3.org/1999/xhtml">Congestive heart failure</div>',
      },
      extension: [{ url: 'http://example.org/ext', valueString: 'Extension text' }],
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '42343007', display: 'Congestive heart failure' }],
        text: 'CHF',
      },
      subject: { reference: 'Patient/p1', display: 'Peter Chalmers' },
      note: [{ text: 'No fever' }],
    };
    expect(textRow(condition)).toEqual({
      narrative: 'congestive heart failure',
      content:
        'congestive heart failure extension text 42343007 congestive heart failure chf peter chalmers no fever',
    });
  });

  it('skips base64 attachment data but keeps the attachment title', () => {
    const doc: Resource = {
      resourceType: 'DocumentReference',
      status: 'current',
      content: [{ attachment: { contentType: 'text/plain', data: 'aGVsbG8=', title: 'Discharge letter' } }],
    };
    expect(textRow(doc)).toEqual({ narrative: null, content: 'current text/plain discharge letter' });
  });

  it('is null for a resource without text, and caps long text', () => {
    expect(textRow({ resourceType: 'Basic', id: 'x' })).toBeNull();
    const long = textRow({ resourceType: 'Basic', code: { text: 'word '.repeat(50_000) } });
    expect(long?.content.length).toBe(MAX_SEARCH_TEXT);
  });

  it('is the text row extractIndexes gives, and only for known resource types', () => {
    const patient: Resource = { resourceType: 'Patient', name: [{ family: 'Müller' }] };
    expect(extractIndexes(patient).text).toEqual([{ narrative: null, content: 'muller' }]);
    expect(extractIndexes({ resourceType: 'NoSuchType', name: 'x' }).text).toBeUndefined();
  });
});

describe('position rows', () => {
  it('indexes Location.position for near, and nothing off the globe', () => {
    const at = (position: unknown) =>
      extractIndexes({ resourceType: 'Location', position } as Resource).position ?? [];
    expect(at({ latitude: 42.36, longitude: -71.06, altitude: 10 })).toEqual([
      { param: 'near', latitude: 42.36, longitude: -71.06 },
    ]);
    expect(at({ latitude: 91, longitude: 0 })).toEqual([]);
    expect(at({ latitude: '42', longitude: 0 })).toEqual([]);
    expect(at({ longitude: 0 })).toEqual([]);
  });
});
