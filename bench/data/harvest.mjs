/**
 * What the benchmark learns from the data it loads, to draw realistic parameters later: the ids
 * the server assigned (a uniform reservoir sample per resource type), and the names, codes, dates
 * and words of the resources it sent. Nothing here comes from a fixed list.
 */
const RESERVOIR = 4000;
const DISTINCT = 5000;

export class Harvest {
  constructor(random) {
    this.random = random;
    /** @type {Map<string, { seen: number, ids: string[] }>} */
    this.idsByType = new Map();
    this.sets = {
      patient_family: new Set(),
      patient_given: new Set(),
      city: new Set(),
      condition_code: new Set(),
      procedure_code: new Set(),
      medication_code: new Set(),
      observation_date: new Set(),
      practitioner_id: new Set(),
      location_id: new Set(),
    };
    /** @type {Map<string, Set<string>>} display words per resource type */
    this.words = new Map();
  }

  /** The ids a transaction response reports (`location: Type/id/_history/n`). */
  noteResponse(response) {
    for (const entry of response.entry ?? []) {
      const m = /^([A-Za-z]+)\/([^/]+)/.exec(entry.response?.location ?? '');
      if (m) this.noteId(m[1], m[2]);
    }
  }

  noteId(type, id) {
    let r = this.idsByType.get(type);
    if (!r) {
      r = { seen: 0, ids: [] };
      this.idsByType.set(type, r);
    }
    r.seen++;
    if (r.ids.length < RESERVOIR) r.ids.push(id);
    else {
      const j = this.random.int(r.seen);
      if (j < RESERVOIR) r.ids[j] = id;
    }
  }

  /** A resource the benchmark deleted: later searches must not draw its id. */
  forget(type, id) {
    const r = this.idsByType.get(type);
    const k = r ? r.ids.indexOf(id) : -1;
    if (k >= 0) {
      r.ids[k] = r.ids[r.ids.length - 1];
      r.ids.pop();
    }
  }

  /** Names, codes, dates and words of the resources a request bundle carries. */
  noteRequest(bundle) {
    for (const entry of bundle.entry ?? []) {
      const r = entry.resource;
      if (r) this.noteResource(r);
    }
  }

  noteResource(r) {
    const add = (set, v) => {
      if (typeof v === 'string' && v && set.size < DISTINCT) set.add(v);
    };
    const token = (cc) => {
      const c = cc?.coding?.find((x) => x.system && x.code);
      return c ? `${c.system}|${c.code}` : undefined;
    };
    switch (r.resourceType) {
      case 'Patient':
        for (const n of r.name ?? []) {
          add(this.sets.patient_family, n.family);
          for (const g of n.given ?? []) add(this.sets.patient_given, g);
        }
        for (const a of r.address ?? []) add(this.sets.city, a.city);
        break;
      case 'Condition':
        add(this.sets.condition_code, token(r.code));
        break;
      case 'Procedure':
        add(this.sets.procedure_code, token(r.code));
        break;
      case 'MedicationRequest':
        add(this.sets.medication_code, token(r.medicationCodeableConcept));
        break;
      case 'Observation':
        add(this.sets.observation_date, (r.effectiveDateTime ?? r.effectivePeriod?.start ?? '').slice(0, 10));
        break;
      case 'Encounter':
        this.noteEncounterReferences(r);
        break;
    }
    if (r.code) this.noteWords(r.resourceType, r.code);
  }

  /** Practitioners and locations as the stored encounters reference them (ids, not conditional references). */
  noteEncounterReferences(r) {
    for (const p of r.participant ?? []) {
      const m = /^Practitioner\/([^/?]+)$/.exec(p.individual?.reference ?? '');
      if (m && this.sets.practitioner_id.size < DISTINCT) this.sets.practitioner_id.add(m[1]);
    }
    for (const l of r.location ?? []) {
      const m = /^Location\/([^/?]+)$/.exec(l.location?.reference ?? '');
      if (m && this.sets.location_id.size < DISTINCT) this.sets.location_id.add(m[1]);
    }
  }

  noteWords(type, cc) {
    let set = this.words.get(type);
    if (!set) {
      set = new Set();
      this.words.set(type, set);
    }
    if (set.size >= DISTINCT) return;
    const texts = [cc.text, ...(cc.coding ?? []).map((c) => c.display)];
    for (const t of texts) {
      for (const w of String(t ?? '').split(/[^A-Za-z]+/)) if (w.length >= 5) set.add(w.toLowerCase());
    }
  }

  ids(type) {
    return this.idsByType.get(type)?.ids ?? [];
  }

  counts() {
    return Object.fromEntries([...this.idsByType].map(([t, r]) => [t, r.seen]));
  }

  /** The sampling pools the search shapes draw from (see search/shapes.mjs). */
  pools() {
    const pools = Object.fromEntries(Object.entries(this.sets).map(([k, v]) => [k, [...v]]));
    pools.patient_id = [...this.ids('Patient')];
    if (pools.practitioner_id.length === 0) pools.practitioner_id = [...this.ids('Practitioner')];
    if (pools.location_id.length === 0) pools.location_id = [...this.ids('Location')];
    pools.words = Object.fromEntries([...this.words].map(([t, s]) => [t, [...s]]));
    return pools;
  }
}
