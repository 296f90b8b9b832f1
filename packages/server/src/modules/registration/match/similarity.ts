/**
 * String similarity for people's names as registrars type them: accents and case ignored,
 * typing slips (Smtih, Jhon) forgiven by Jaro–Winkler, sound-alikes (Catherine, Kathryn) by a
 * phonetic key. Pure functions; the scorer combines them.
 */

/** Lower case, accents and punctuation removed, spaces collapsed: `José-María O'Neil` → `jose maria oneil`. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a name, normalised: `Mary-Ann  Smith` → `['mary', 'ann', 'smith']`. */
export function nameTokens(value: string): string[] {
  return normaliseName(value)
    .split(' ')
    .filter((t) => t !== '');
}

/**
 * Jaro–Winkler similarity in [0, 1]: 1 for equal strings, about 0.96 for one transposition in a
 * five-letter name (`smith`/`smtih`), below 0.7 for unrelated names. Prefix agreement weighs
 * more, as names are rarely mistyped at their first letters.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  if (a === '' || b === '') return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * A phonetic key in the spirit of Soundex, tuned for English and Spanish names: the first sound
 * kept (C/K, PH/F, and silent initial letters folded), then consonant classes, vowels dropped.
 * `catherine` and `kathryn` → `K365`; `smith` and `smyth` → `S530`.
 */
export function phoneticKey(token: string): string {
  let s = normaliseName(token).replace(/[^a-z]/g, '');
  if (s === '') return '';
  s = s
    .replace(/^kn/, 'n')
    .replace(/^wr/, 'r')
    .replace(/^ps/, 's')
    .replace(/^x/, 's')
    .replace(/ph/g, 'f')
    .replace(/^c(?=[eiy])/, 's')
    .replace(/^c/, 'k')
    .replace(/^q/, 'k')
    .replace(/^j(?=[aeiou])/, 'j');
  const codes: Record<string, string> = {
    b: '1',
    f: '1',
    p: '1',
    v: '1',
    c: '2',
    g: '2',
    j: '2',
    k: '2',
    q: '2',
    s: '2',
    x: '2',
    z: '2',
    d: '3',
    t: '3',
    l: '4',
    m: '5',
    n: '5',
    r: '6',
  };
  const first = s[0]!.toUpperCase();
  let out = '';
  let last = codes[s[0]!] ?? '';
  for (const ch of s.slice(1)) {
    const code = codes[ch];
    if (code === undefined) {
      // Vowels separate repeated codes; h and w do not.
      if (ch !== 'h' && ch !== 'w') last = '';
      continue;
    }
    if (code !== last) out += code;
    last = code;
  }
  return (first + out).padEnd(4, '0').slice(0, 4);
}

/**
 * How alike two name words are, in [0, 1]: equal → 1; the same sound → at least 0.9; one a
 * prefix of the other (an initial, a shortened name) → 0.85 when the shorter has a letter or
 * more; otherwise Jaro–Winkler.
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  const jw = jaroWinkler(a, b);
  const sameSound = phoneticKey(a) === phoneticKey(b) ? 0.9 : 0;
  const prefix = a.startsWith(b) || b.startsWith(a) ? 0.85 : 0;
  return Math.max(jw, sameSound, prefix);
}
