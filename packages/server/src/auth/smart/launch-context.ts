import type { Adapter } from 'oidc-provider';

/** The patient and encounter an app works on, chosen by an EHR launch or at sign-in. */
export interface LaunchContext {
  patient?: string;
  encounter?: string;
}

/**
 * Launch contexts in the authorization server's storage: `Launch` rows are EHR launches
 * (the opaque `launch` parameter, short-lived); `LaunchContext` rows bind the context chosen
 * at consent to the grant, so every token of that grant (and its refreshes) carries it.
 */
export class LaunchContexts {
  constructor(
    private readonly launches: Adapter,
    private readonly grants: Adapter,
  ) {}

  /** Stores an EHR launch; returns the opaque `launch` value to hand the app. */
  async createLaunch(context: LaunchContext, launch: string, ttlSeconds = 600): Promise<void> {
    await this.launches.upsert(launch, { ...context }, ttlSeconds);
  }

  async launch(launch: string): Promise<LaunchContext | undefined> {
    return pick((await this.launches.find(launch)) ?? undefined);
  }

  async bindToGrant(grantId: string, context: LaunchContext, ttlSeconds: number): Promise<void> {
    await this.grants.upsert(grantId, { ...context, grantId }, ttlSeconds);
  }

  async forGrant(grantId: string): Promise<LaunchContext | undefined> {
    return pick((await this.grants.find(grantId)) ?? undefined);
  }
}

function pick(payload: Record<string, unknown> | undefined): LaunchContext | undefined {
  if (!payload) return undefined;
  return {
    ...(typeof payload.patient === 'string' ? { patient: payload.patient } : {}),
    ...(typeof payload.encounter === 'string' ? { encounter: payload.encounter } : {}),
  };
}
