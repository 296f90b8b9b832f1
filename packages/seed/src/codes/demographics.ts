import type { Weighted } from '../random/random.js';
import { type Code, SYSTEMS } from './systems.js';

const omb = (code: string, display: string): Code => ({ system: SYSTEMS.ombRace, code, display });

/** OMB race categories weighted by the Massachusetts population share (percent). */
export const RACES: Weighted<Code> = [
  [omb('2106-3', 'White'), 71],
  [omb('2054-5', 'Black or African American'), 9],
  [omb('2028-9', 'Asian'), 7.2],
  [omb('1002-5', 'American Indian or Alaska Native'), 0.5],
  [omb('2076-8', 'Native Hawaiian or Other Pacific Islander'), 0.1],
  [omb('2131-1', 'Other Race'), 12],
];

export const HISPANIC = omb('2135-2', 'Hispanic or Latino');
export const NOT_HISPANIC = omb('2186-5', 'Not Hispanic or Latino');
/** Share of the population that is Hispanic or Latino. */
export const HISPANIC_SHARE = 0.12;

const marital = (code: string, display: string): Code => ({ system: SYSTEMS.maritalStatus, code, display });

/** Marital status of adults by age band: `[upper age, table]`, first band that fits. */
export const MARITAL_BY_AGE: readonly (readonly [number, Weighted<Code>])[] = [
  [17, [[marital('S', 'Never Married'), 1]]],
  [
    29,
    [
      [marital('S', 'Never Married'), 70],
      [marital('M', 'Married'), 27],
      [marital('D', 'Divorced'), 3],
    ],
  ],
  [
    49,
    [
      [marital('S', 'Never Married'), 28],
      [marital('M', 'Married'), 58],
      [marital('D', 'Divorced'), 13],
      [marital('W', 'Widowed'), 1],
    ],
  ],
  [
    69,
    [
      [marital('S', 'Never Married'), 12],
      [marital('M', 'Married'), 62],
      [marital('D', 'Divorced'), 18],
      [marital('W', 'Widowed'), 8],
    ],
  ],
  [
    200,
    [
      [marital('S', 'Never Married'), 6],
      [marital('M', 'Married'), 48],
      [marital('D', 'Divorced'), 11],
      [marital('W', 'Widowed'), 35],
    ],
  ],
];

const lang = (code: string, display: string): Code => ({ system: SYSTEMS.bcp47, code, display });

/** Preferred languages; `hispanic` applies to Hispanic or Latino patients. */
export const LANGUAGES: { general: Weighted<Code>; hispanic: Weighted<Code> } = {
  general: [
    [lang('en-US', 'English (United States)'), 88],
    [lang('pt', 'Portuguese'), 2.5],
    [lang('zh', 'Chinese'), 2],
    [lang('ht', 'Haitian Creole'), 1.5],
    [lang('vi', 'Vietnamese'), 1.2],
    [lang('ru', 'Russian'), 1],
    [lang('ar', 'Arabic'), 0.8],
  ],
  hispanic: [
    [lang('en-US', 'English (United States)'), 55],
    [lang('es', 'Spanish'), 45],
  ],
};

/** Ages of the population, 5-year bands weighted by the US age pyramid (percent). */
export const AGE_BANDS: Weighted<readonly [number, number]> = [
  [[0, 4], 5.7],
  [[5, 9], 6.0],
  [[10, 14], 6.3],
  [[15, 19], 6.5],
  [[20, 24], 6.5],
  [[25, 29], 6.9],
  [[30, 34], 6.9],
  [[35, 39], 6.6],
  [[40, 44], 6.3],
  [[45, 49], 6.2],
  [[50, 54], 6.4],
  [[55, 59], 6.6],
  [[60, 64], 6.4],
  [[65, 69], 5.4],
  [[70, 74], 4.4],
  [[75, 79], 2.9],
  [[80, 84], 1.9],
  [[85, 99], 1.9],
];

/** Smoking status of adults (NHIS categories) with its SNOMED code. */
export const SMOKING_STATUSES: Weighted<Code> = [
  [{ system: SYSTEMS.snomed, code: '266919005', display: 'Never smoked tobacco (finding)' }, 68],
  [{ system: SYSTEMS.snomed, code: '8517006', display: 'Ex-smoker (finding)' }, 20],
  [{ system: SYSTEMS.snomed, code: '449868002', display: 'Smokes tobacco daily (finding)' }, 12],
];
