import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrl } from './config.js';

const base = { flags: {}, env: {}, cwd: '/srv/hospital' };

describe('loadConfig', () => {
  it('defaults to the fixed contract: port 8080, MLLP 2575, embedded database in ./.hospitium, demo on', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      port: 8080,
      mllpPort: 2575,
      dataDir: '/srv/hospital/.hospitium',
      databaseUrl: undefined,
      demo: true,
      baseUrl: 'http://localhost:8080/fhir',
      bodyLimit: 16 * 1024 * 1024,
      hl7RetentionDays: 90,
    });
  });

  it('reads the HL7 message retention in days (0 keeps forever) and refuses a negative one', () => {
    expect(loadConfig({ ...base, env: { HOSPITIUM_HL7_RETENTION_DAYS: '0' } }).hl7RetentionDays).toBe(0);
    expect(
      loadConfig({
        ...base,
        flags: { 'hl7-retention-days': '30' },
        env: { HOSPITIUM_HL7_RETENTION_DAYS: '7' },
      }).hl7RetentionDays,
    ).toBe(30);
    expect(() => loadConfig({ ...base, flags: { 'hl7-retention-days': '-1' } })).toThrow(
      /--hl7-retention-days \/ HOSPITIUM_HL7_RETENTION_DAYS must be an integer from 0 to 36500/,
    );
  });

  it('takes flags over environment variables', () => {
    const c = loadConfig({
      ...base,
      flags: { port: '9000', data: 'db', 'no-demo': true },
      env: {
        HOSPITIUM_PORT: '7000',
        HOSPITIUM_DATABASE_URL: 'postgres://u:p@db:5432/h',
        HOSPITIUM_DEMO: 'true',
      },
    });
    expect(c.port).toBe(9000);
    expect(c.dataDir).toBe('/srv/hospital/db');
    expect(c.databaseUrl).toBe('postgres://u:p@db:5432/h');
    expect(c.demo).toBe(false);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...base,
        flags: { port: 'eighty', 'mllp-port': '70000', 'log-level': 'loud' },
        env: { HOSPITIUM_DATABASE_URL: 'mysql://x' },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/--port.*"eighty"/);
    expect(problems.join('\n')).toMatch(/--mllp-port/);
    expect(problems.join('\n')).toMatch(/postgres:\/\//);
    expect(problems.join('\n')).toMatch(/--log-level/);
  });

  it('uses localhost in the public base URL when listening on every interface', () => {
    expect(loadConfig({ ...base, flags: { host: '0.0.0.0', port: '8081' } }).baseUrl).toBe(
      'http://localhost:8081/fhir',
    );
    expect(
      loadConfig({ ...base, env: { HOSPITIUM_BASE_URL: 'https://ehr.example.org/fhir/' } }).baseUrl,
    ).toBe('https://ehr.example.org/fhir');
  });

  it('never prints a database password', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/h')).not.toContain('s3cret');
  });
});
