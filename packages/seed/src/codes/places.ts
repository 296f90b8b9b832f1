import type { Weighted } from '../random/random.js';

/** A city patients live in: postal code, centre coordinates and population (the draw weight). */
export interface City {
  readonly name: string;
  readonly postalCode: string;
  readonly latitude: number;
  readonly longitude: number;
}

/** The state the generated population lives in (Massachusetts, as Synthea's default population). */
export const STATE = { name: 'Massachusetts', code: 'MA' } as const;

/** Cities weighted by population (2020 census, thousands). */
export const CITIES: Weighted<City> = [
  [{ name: 'Boston', postalCode: '02118', latitude: 42.3601, longitude: -71.0589 }, 675],
  [{ name: 'Worcester', postalCode: '01608', latitude: 42.2626, longitude: -71.8023 }, 206],
  [{ name: 'Springfield', postalCode: '01103', latitude: 42.1015, longitude: -72.5898 }, 155],
  [{ name: 'Cambridge', postalCode: '02139', latitude: 42.3736, longitude: -71.1097 }, 118],
  [{ name: 'Lowell', postalCode: '01852', latitude: 42.6334, longitude: -71.3162 }, 115],
  [{ name: 'Brockton', postalCode: '02301', latitude: 42.0834, longitude: -71.0184 }, 105],
  [{ name: 'Quincy', postalCode: '02169', latitude: 42.2529, longitude: -71.0023 }, 101],
  [{ name: 'Lynn', postalCode: '01901', latitude: 42.4668, longitude: -70.9495 }, 101],
  [{ name: 'New Bedford', postalCode: '02740', latitude: 41.6362, longitude: -70.9342 }, 101],
  [{ name: 'Fall River', postalCode: '02720', latitude: 41.7015, longitude: -71.155 }, 94],
  [{ name: 'Lawrence', postalCode: '01840', latitude: 42.707, longitude: -71.1631 }, 89],
  [{ name: 'Newton', postalCode: '02458', latitude: 42.337, longitude: -71.2092 }, 88],
  [{ name: 'Somerville', postalCode: '02143', latitude: 42.3876, longitude: -71.0995 }, 81],
  [{ name: 'Framingham', postalCode: '01701', latitude: 42.2793, longitude: -71.4162 }, 72],
  [{ name: 'Haverhill', postalCode: '01830', latitude: 42.7762, longitude: -71.0773 }, 67],
  [{ name: 'Malden', postalCode: '02148', latitude: 42.4251, longitude: -71.0662 }, 66],
  [{ name: 'Waltham', postalCode: '02451', latitude: 42.3765, longitude: -71.2356 }, 65],
  [{ name: 'Brookline', postalCode: '02445', latitude: 42.3318, longitude: -71.1212 }, 63],
  [{ name: 'Plymouth', postalCode: '02360', latitude: 41.9584, longitude: -70.6673 }, 61],
  [{ name: 'Medford', postalCode: '02155', latitude: 42.4184, longitude: -71.1062 }, 59],
];

export const STREET_NAMES = [
  'Main',
  'Oak',
  'Maple',
  'Cedar',
  'Elm',
  'Washington',
  'Lake',
  'Hill',
  'Pine',
  'Walnut',
  'Park',
  'Highland',
  'Chestnut',
  'Summer',
  'Pleasant',
  'Prospect',
  'Center',
  'Church',
  'School',
  'Water',
  'Spring',
  'Union',
  'Franklin',
  'Adams',
  'Lincoln',
  'Jefferson',
  'Madison',
  'Harvard',
  'Beacon',
  'Commonwealth',
  'Tremont',
  'Hancock',
  'Winter',
  'Forest',
  'River',
  'Mill',
  'Bridge',
  'Liberty',
  'Central',
  'Grove',
  'Willow',
  'Birch',
  'Orchard',
  'Meadow',
  'Sunset',
  'Ridge',
  'Cherry',
  'Linden',
] as const;

export const STREET_SUFFIXES: Weighted<string> = [
  ['Street', 40],
  ['Avenue', 15],
  ['Road', 15],
  ['Lane', 6],
  ['Drive', 6],
  ['Court', 4],
  ['Place', 4],
  ['Way', 4],
  ['Terrace', 3],
  ['Circle', 3],
];

/** Birth places outside the state, by the patient's language (others are born in the state). */
export const BIRTH_COUNTRIES: Record<string, { city: string; country: string }[]> = {
  es: [
    { city: 'San Juan', country: 'PR' },
    { city: 'Santo Domingo', country: 'DO' },
    { city: 'San Salvador', country: 'SV' },
  ],
  pt: [
    { city: 'Belo Horizonte', country: 'BR' },
    { city: 'Ponta Delgada', country: 'PT' },
    { city: 'Praia', country: 'CV' },
  ],
  zh: [
    { city: 'Guangzhou', country: 'CN' },
    { city: 'Hong Kong', country: 'HK' },
  ],
  vi: [
    { city: 'Ho Chi Minh City', country: 'VN' },
    { city: 'Hanoi', country: 'VN' },
  ],
  ht: [
    { city: 'Port-au-Prince', country: 'HT' },
    { city: 'Cap-Haïtien', country: 'HT' },
  ],
  ru: [
    { city: 'Moscow', country: 'RU' },
    { city: 'Kyiv', country: 'UA' },
  ],
  ar: [
    { city: 'Beirut', country: 'LB' },
    { city: 'Cairo', country: 'EG' },
  ],
};
