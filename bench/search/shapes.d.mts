import type { Random } from '../data/random.mjs';

export interface QueryShape {
  name: string;
  resourceType: string;
  complexity: string;
  method: string;
  path: string;
  params: [string, string][];
  headers: Record<string, string>;
  sample: Record<string, string>;
  load: boolean;
  skipReason?: string;
}

export interface SamplePools {
  [pool: string]: string[] | Record<string, string[]> | undefined;
  words?: Record<string, string[]>;
}

export declare function parseQueryShapes(yamlText: string): QueryShape[];
export declare function varyValue(
  resourceType: string,
  key: string,
  value: string,
  pools: SamplePools,
  random: Random,
): { value: string; drawn: boolean };
export declare function expandShape(
  shape: QueryShape,
  pools: SamplePools,
  random: Random,
):
  | { path: string; drawn: boolean; missing?: undefined }
  | { missing: string; path?: undefined; drawn?: undefined };
