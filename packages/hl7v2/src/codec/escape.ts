import type { Delimiters } from './delimiters.js';

/**
 * Decodes HL7 escape sequences in one leaf value (v2.5.1 §2.7): `\F\ \S\ \T\ \R\ \E\` give back
 * the delimiters, `\Xhh…\` the bytes it spells (read as UTF-8), `\.br\` a line break. Anything
 * else (`\H\`, `\N\`, `\Cxxyy\`, `\Zxx\`, an unterminated escape) is kept as written so no
 * information is lost.
 */
export function unescapeValue(raw: string, d: Delimiters): string {
  const e = d.escape;
  if (!raw.includes(e)) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c !== e) {
      out += c;
      i++;
      continue;
    }
    const close = raw.indexOf(e, i + 1);
    if (close === -1) {
      out += raw.slice(i);
      break;
    }
    const body = raw.slice(i + 1, close);
    const decoded = decodeSequence(body, d);
    if (decoded === undefined) {
      // Unknown: keep the opening escape and continue after it, so the closing one can still
      // open a following sequence (`\H\text\N\` stays intact).
      out += raw.slice(i, close);
      i = close;
      if (body === '') {
        out += e;
        i++;
      }
      continue;
    }
    out += decoded;
    i = close + 1;
  }
  return out;
}

function decodeSequence(body: string, d: Delimiters): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation;
    case '.br':
      return '\n';
  }
  if (
    body.startsWith('X') &&
    body.length > 1 &&
    (body.length - 1) % 2 === 0 &&
    /^[0-9A-Fa-f]+$/.test(body.slice(1))
  ) {
    return Buffer.from(body.slice(1), 'hex').toString('utf8');
  }
  return undefined;
}

/**
 * Escapes a value for one leaf: delimiters and the escape character become `\F\ \S\ \T\ \R\ \E\`,
 * line breaks `\.br\`, other control characters `\Xhh\`.
 */
export function escapeValue(value: string, d: Delimiters): string {
  let out = '';
  for (const c of value) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (c === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (d.truncation !== undefined && c === d.truncation) out += `${d.escape}P${d.escape}`;
    else if (c === '\n') out += `${d.escape}.br${d.escape}`;
    else if (c === '\r') continue;
    else if (c.charCodeAt(0) < 0x20)
      out += `${d.escape}X${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}${d.escape}`;
    else out += c;
  }
  return out;
}
