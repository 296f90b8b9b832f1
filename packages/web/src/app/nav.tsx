import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/** Roles whose work starts by finding a patient (every staff role that may search Patient). */
const patientFinders = [
  'registrar',
  'nurse',
  'physician',
  'pharmacist',
  'lab-tech',
  'radiology-tech',
  'biller',
  'coder',
] as const;

/** One screen of the app: where it lives, who sees it, and its code (loaded when first opened). */
export interface NavItem {
  /** What the menu says, in the words of the people who use it. */
  label: string;
  /** The route (react-router pattern). */
  path: string;
  /** Roles that see this screen; the server's role policy still decides every request. */
  roles: readonly string[];
  /** Loaded on first visit, so each module's code stays out of the initial bundle. */
  component: LazyExoticComponent<ComponentType>;
  /** In the side menu; false for screens opened from another (a patient's chart). */
  inMenu: boolean;
  /** One line for the home page. */
  description?: string;
}

/**
 * The screens of the app. A module adds its screen with one entry here (its component lazily
 * imported from `src/modules/<domain>/`); routing, the menu and the home page follow.
 */
export const navItems: readonly NavItem[] = [
  {
    label: 'Find a patient',
    path: '/patients',
    roles: patientFinders,
    component: lazy(() => import('../modules/registration/search.page')),
    inMenu: true,
    description: 'Search by name, MRN or birth date; spelling mistakes and swapped names are forgiven.',
  },
  {
    label: 'Register a patient',
    path: '/patients/new',
    roles: ['registrar'],
    component: lazy(() => import('../modules/registration/register.page')),
    inMenu: true,
    description: 'Checks for an existing record before creating a new one.',
  },
  {
    label: 'Bed board',
    path: '/beds',
    roles: ['registrar', 'nurse', 'physician'],
    component: lazy(() => import('../modules/adt/bed-board.page')),
    inMenu: true,
    description: 'Who is in which bed, which beds are ready; admit, transfer, discharge, housekeeping. Live.',
  },
  {
    label: 'Chart',
    path: '/patients/:id',
    roles: patientFinders,
    component: lazy(() => import('../modules/chart/chart.page')),
    inMenu: false,
  },
];

/** The screens a user with `roles` may open. */
export function itemsFor(roles: readonly string[], items: readonly NavItem[] = navItems): NavItem[] {
  return items.filter((item) => item.roles.some((r) => roles.includes(r)));
}
