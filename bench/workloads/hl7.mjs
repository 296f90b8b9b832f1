// The HL7 v2 workload of `npm run bench`: bench/hl7-bench.mjs in its own process (its MLLP
// peers and engine share nothing with the FHIR server under test), on a fresh database of the
// mode, its one JSON line returned.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../hl7-bench.mjs', import.meta.url));

/**
 * ADT A01 + A08 over MLLP for `messages` messages from `connections` peers; resolves to the
 * bench's result ({ messagesPerSecond, ackMs, cpuMsPerMessage, … }).
 */
export function runHl7({ mode, databaseUrl, messages, connections = 8 }) {
  const args = [
    script,
    '--messages',
    String(messages),
    '--connections',
    String(connections),
    ...(mode === 'pglite' ? ['--pglite'] : ['--database-url', databaseUrl]),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`HL7 bench (${mode}) failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`HL7 bench (${mode}) printed no result: ${line.slice(0, 200)}`));
      }
    });
  });
}
