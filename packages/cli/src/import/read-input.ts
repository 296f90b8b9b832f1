import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Bundle, Resource } from '@hospitium/fhir';
import { isResource } from '@hospitium/fhir';

/** What one input file holds, read as chunks so NDJSON files of any size stream. */
export type ImportChunk =
  | { kind: 'bundle'; bundle: Bundle; bytes: number }
  | { kind: 'resources'; resources: { line: number; resource: Resource }[]; bytes: number }
  | { kind: 'error'; line?: number; message: string; bytes: number };

export function fileSize(path: string): number {
  return statSync(path).size;
}

const NDJSON_CHUNK = 250;

function isNdjsonName(path: string): boolean {
  return /\.(ndjson|jsonl)(\.gz)?$/i.test(path);
}

/** Counts the bytes read from disk (compressed bytes for .gz), for the progress bar. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });
}

async function readAllText(path: string): Promise<string> {
  const parts: Buffer[] = [];
  let stream: NodeJS.ReadableStream = createReadStream(path);
  if (path.endsWith('.gz')) stream = stream.pipe(createGunzip());
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Reads an import file: a FHIR Bundle (JSON) or NDJSON (one resource per line), plain or gzip.
 * A `.json` file whose content turns out to be NDJSON is read as NDJSON.
 */
export async function* readImportFile(path: string): AsyncGenerator<ImportChunk> {
  if (!isNdjsonName(path)) {
    const size = fileSize(path);
    const text = (await readAllText(path)).replace(/^\uFEFF/, '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      if (lines.length > 1 && lines[0]!.trim().startsWith('{')) {
        yield* readNdjson(path);
        return;
      }
      yield { kind: 'error', message: `not valid JSON: ${(err as Error).message}`, bytes: size };
      return;
    }
    if (!isResource(parsed)) {
      yield { kind: 'error', message: 'not a FHIR resource (no resourceType)', bytes: size };
    } else if (parsed.resourceType === 'Bundle') {
      yield { kind: 'bundle', bundle: parsed as Bundle, bytes: size };
    } else {
      yield { kind: 'resources', resources: [{ line: 1, resource: parsed }], bytes: size };
    }
    return;
  }
  yield* readNdjson(path);
}

async function* readNdjson(path: string): AsyncGenerator<ImportChunk> {
  let bytes = 0;
  const counter = byteCounter((n) => {
    bytes += n;
  });
  let stream: NodeJS.ReadableStream = createReadStream(path).pipe(counter);
  if (path.endsWith('.gz')) stream = stream.pipe(createGunzip());
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let batch: { line: number; resource: Resource }[] = [];
  let lineNo = 0;
  let reported = 0;
  const take = () => {
    const n = bytes - reported;
    reported = bytes;
    return n;
  };
  for await (const raw of lines) {
    lineNo++;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      yield {
        kind: 'error',
        line: lineNo,
        message: `not valid JSON: ${(err as Error).message}`,
        bytes: take(),
      };
      continue;
    }
    if (!isResource(parsed)) {
      yield { kind: 'error', line: lineNo, message: 'not a FHIR resource (no resourceType)', bytes: take() };
      continue;
    }
    batch.push({ line: lineNo, resource: parsed });
    if (batch.length >= NDJSON_CHUNK) {
      yield { kind: 'resources', resources: batch, bytes: take() };
      batch = [];
    }
  }
  if (batch.length > 0) yield { kind: 'resources', resources: batch, bytes: take() };
  else if (bytes > reported) yield { kind: 'resources', resources: [], bytes: take() };
}
