import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { toUcum } from './codes/units.js';
import { interpretationCodes, interpretationSystem, observationStatus } from './codes/v2-tables.js';
import { codeableConcept, composite, composites } from './datatypes.js';
import type { ReportDraft } from './oru.js';
import type { MappedPatient } from './patient.js';

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * OBX → Observation. The value follows OBX-2: NM as a Quantity with its UCUM unit (OBX-6), SN
 * as a Quantity with comparator, a Range (`-`) or a Ratio (`:` `/`), CE/CWE/CNE as a
 * CodeableConcept, ST/TX/FT as text, DT/TS/DTM as a dateTime, TM as a time; ED becomes the
 * report's presentedForm. Reference range OBX-7, abnormal flags OBX-8 (table 0078), status
 * OBX-11 (table 0085), observation time OBX-14 (else OBR-7), method OBX-17, body site OBX-20.
 */
export function mapObservation(
  b: BundleBuilder,
  obx: Hl7Segment,
  report: ReportDraft,
  patient: MappedPatient,
  encounter?: string,
): Resource | undefined {
  const type = obx.value(2) ?? 'ST';
  if (type === 'ED') {
    const data = obx.value(5, 1, 5);
    if (data) {
      report.presentedForm.push({
        contentType: `${(obx.value(5, 1, 2) ?? 'application').toLowerCase()}/${(obx.value(5, 1, 3) ?? 'octet-stream').toLowerCase()}`,
        ...(obx.value(5, 1, 4)?.toLowerCase() === 'base64'
          ? { data }
          : { data: Buffer.from(data).toString('base64') }),
      });
    }
    return undefined;
  }
  const codeField = composite(obx, 3);
  const code = codeField && codeableConcept(codeField);
  if (!code) b.required(b.at(obx, 3), 'observation identifier');
  report.observationCount++;
  const status = observationStatus[obx.value(11) ?? ''] ?? (obx.value(11) ? 'unknown' : 'final');
  const observation: Resource = {
    resourceType: 'Observation',
    status,
    code,
    subject: { reference: patient.fullUrl },
  };
  if (encounter) observation.encounter = { reference: encounter };
  const category = report.resource.category;
  if (category) observation.category = category;
  Object.assign(observation, value(b, obx, type));
  const unitSystem = obx.value(6, 1, 3);
  const unitText = obx.component(6, 1, 2) ?? obx.component(6, 1, 1);
  const ucum = toUcum(obx.value(6, 1, 1), unitSystem);
  const range = referenceRange(obx.value(7), unitText, ucum);
  if (range) observation.referenceRange = [range];
  const flags = composites(obx, 8)
    .map((f) => f.c(1))
    .filter((f): f is string => !!f);
  if (flags.length) {
    observation.interpretation = flags.map((f) =>
      interpretationCodes.has(f) ? { coding: [{ system: interpretationSystem, code: f }] } : { text: f },
    );
  }
  const effective = parseDateTime(obx.value(14), b.settings.timezoneOffset) ?? report.effective;
  if (effective) observation.effectiveDateTime = effective;
  const method = composite(obx, 17);
  const methodConcept = method && codeableConcept(method);
  if (methodConcept) observation.method = methodConcept;
  const site = composite(obx, 20);
  const siteConcept = site && codeableConcept(site);
  if (siteConcept) observation.bodySite = siteConcept;

  const setId = obx.value(1) ?? String(report.observationCount);
  const subId = obx.value(4) ?? '';
  const system = 'urn:hospitium:hl7v2:observation';
  const idValue = [report.key.system, report.key.value, codeField?.c(1) ?? '', subId, setId].join('|');
  observation.identifier = [{ system, value: idValue }];
  report.results.push(b.upsert(observation, { system, value: idValue }, b.at(obx)));
  return observation;
}

function value(b: BundleBuilder, obx: Hl7Segment, type: string): Record<string, unknown> {
  const raw = obx.value(5);
  if (obx.repetitions(5) === 0 || (raw === undefined && !obx.component(5, 1, 2))) return {};
  if (obx.repetitions(5) > 1 && type !== 'FT' && type !== 'TX' && type !== 'ST') {
    b.warn(b.at(obx, 5), `${obx.repetitions(5)} repetitions of a ${type} value; the first is kept`);
  }
  const unitCode = obx.value(6, 1, 1);
  const ucum = toUcum(unitCode, obx.value(6, 1, 3));
  const unit = obx.component(6, 1, 2) ?? unitCode;
  const quantity = (n: string, comparator?: string) => ({
    value: Number(n),
    ...(comparator ? { comparator } : {}),
    ...(unit ? { unit } : {}),
    ...(ucum ? { system: 'http://unitsofmeasure.org', code: ucum } : {}),
  });
  switch (type) {
    case 'NM':
      if (raw && numberPattern.test(raw.trim())) return { valueQuantity: quantity(raw.trim()) };
      b.warn(b.at(obx, 5), `'${raw ?? ''}' is not a number; kept as text`);
      return raw ? { valueString: raw } : {};
    case 'SN': {
      const comparator = obx.value(5, 1, 1);
      const n1 = obx.value(5, 1, 2);
      const sep = obx.value(5, 1, 3);
      const n2 = obx.value(5, 1, 4);
      if (n1 && numberPattern.test(n1) && n2 && numberPattern.test(n2) && (sep === ':' || sep === '/')) {
        return { valueRatio: { numerator: { value: Number(n1) }, denominator: { value: Number(n2) } } };
      }
      if (n1 && numberPattern.test(n1) && n2 && numberPattern.test(n2) && sep === '-') {
        return { valueRange: { low: quantity(n1), high: quantity(n2) } };
      }
      if (n1 && numberPattern.test(n1)) {
        const comp = comparator && ['<', '<=', '>', '>='].includes(comparator) ? comparator : undefined;
        return { valueQuantity: quantity(n1, comp) };
      }
      b.warn(b.at(obx, 5), 'structured numeric value could not be read; kept as text');
      return { valueString: [comparator, n1, sep, n2].filter(Boolean).join('') };
    }
    case 'CE':
    case 'CWE':
    case 'CNE':
    case 'CF': {
      const c = composite(obx, 5);
      const concept = c && codeableConcept(c);
      return concept ? { valueCodeableConcept: concept } : {};
    }
    case 'DT':
    case 'TS':
    case 'DTM': {
      const dt = parseDateTime(raw, b.settings.timezoneOffset);
      if (dt) return { valueDateTime: dt };
      b.warn(b.at(obx, 5), `'${raw}' is not a date/time; kept as text`);
      return { valueString: raw };
    }
    case 'TM': {
      const m = /^(\d{2})(\d{2})?(\d{2})?/.exec(raw ?? '');
      return m ? { valueTime: `${m[1]}:${m[2] ?? '00'}:${m[3] ?? '00'}` } : { valueString: raw };
    }
    case 'ST':
    case 'TX':
    case 'FT': {
      const lines: string[] = [];
      for (let r = 1; r <= obx.repetitions(5); r++) {
        const t = obx.component(5, r, 1);
        if (t !== undefined) lines.push(t);
      }
      return lines.length ? { valueString: lines.join('\n') } : {};
    }
    default: {
      // RP (reference pointer), NA, CP … : the value as written, components joined.
      const parts: string[] = [];
      for (let c = 1; c <= (obx.rawField(5)?.[0].length ?? 0); c++) parts.push(obx.component(5, 1, c) ?? '');
      const text = parts.join(' ').trim();
      return text ? { valueString: text } : {};
    }
  }
}

/** OBX-7 `3.5-5.0`, `<10`, `>=60`, or free text → referenceRange. */
function referenceRange(
  text: string | undefined,
  unit?: string,
  ucum?: string,
): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const q = (v: string) => ({
    value: Number(v),
    ...(unit ? { unit } : {}),
    ...(ucum ? { system: 'http://unitsofmeasure.org', code: ucum } : {}),
  });
  const range = /^\s*([+-]?\d+\.?\d*)\s*-\s*([+-]?\d+\.?\d*)\s*$/.exec(text);
  if (range) return { low: q(range[1]), high: q(range[2]), text };
  const bound = /^\s*(<=?|>=?)\s*([+-]?\d+\.?\d*)\s*$/.exec(text);
  if (bound) return bound[1].startsWith('<') ? { high: q(bound[2]), text } : { low: q(bound[2]), text };
  return { text };
}
