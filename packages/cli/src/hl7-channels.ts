import { readFileSync } from 'node:fs';
import { isOperationOutcomeError } from '@hospitium/fhir';
import { type ChannelsConfig, defaultChannel, parseChannelsFile } from '@hospitium/server';
import { ConfigError, type HospitiumConfig } from './config.js';

/**
 * The channels: from `--hl7-channels FILE` (inbound and outbound), or one default inbound
 * channel on `--mllp-port` and no outbound ones.
 */
export function loadChannels(config: HospitiumConfig): ChannelsConfig {
  if (!config.hl7Channels) return { inbound: [defaultChannel(config.mllpPort)], outbound: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(config.hl7Channels, 'utf8'));
  } catch (err) {
    throw new ConfigError([`--hl7-channels ${config.hl7Channels}: ${(err as Error).message}`]);
  }
  try {
    return parseChannelsFile(json, config.mllpPort);
  } catch (err) {
    if (isOperationOutcomeError(err))
      throw new ConfigError([`--hl7-channels ${config.hl7Channels}: ${err.message}`]);
    throw err;
  }
}
