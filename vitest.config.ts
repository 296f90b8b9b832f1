import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@hospitium/fhir': pkg('fhir'),
      '@hospitium/db': pkg('db'),
      '@hospitium/seed': pkg('seed'),
      '@hospitium/hl7v2': pkg('hl7v2'),
      '@hospitium/server': pkg('server'),
      '@hospitium/cli': pkg('cli'),
      '@hospitium/conformance': pkg('conformance'),
      '@hospitium/test-support': fileURLToPath(new URL('./test-support/index.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/web/test/**/*.test.ts',
      'bench/**/*.test.ts',
      'test-support/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
