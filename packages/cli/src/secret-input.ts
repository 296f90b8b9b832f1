import { createInterface } from 'node:readline';

/**
 * Reads a secret without putting it on the command line (where `ps` and shell history would
 * keep it): typed at a prompt without echo on a terminal, else the first line of standard input.
 */
export async function readSecret(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = createInterface({ input });
    for await (const line of rl) {
      rl.close();
      return line.replace(/\r$/, '');
    }
    throw new Error('expected the secret on standard input');
  }
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stderr.write(prompt);
  output._writeToOutput = () => undefined;
  try {
    return await new Promise<string>((resolvePromise) => rl.question('', resolvePromise));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
