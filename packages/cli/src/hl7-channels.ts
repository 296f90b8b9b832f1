import { readFileSync } from 'node:fs';
import { isOperationOutcomeError } from '@hospitium/fhir';
import { defaultChannel, type InboundChannel, parseChannels } from '@hospitium/server';
import { ConfigError, type HospitiumConfig } from './config.js';

/** The inbound channels: from `--hl7-channels FILE`, or one default channel on `--mllp-port`. */
export function loadChannels(config: HospitiumConfig): InboundChannel[] {
  if (!config.hl7Channels) return [defaultChannel(config.mllpPort)];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(config.hl7Channels, 'utf8'));
  } catch (err) {
    throw new ConfigError([`--hl7-channels ${config.hl7Channels}: ${(err as Error).message}`]);
  }
  try {
    return parseChannels(json, config.mllpPort);
  } catch (err) {
    if (isOperationOutcomeError(err))
      throw new ConfigError([`--hl7-channels ${config.hl7Channels}: ${err.message}`]);
    throw err;
  }
}
