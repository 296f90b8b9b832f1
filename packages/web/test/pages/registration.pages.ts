import type { Locator, Page } from 'playwright-core';

/**
 * Page objects for the registration screens: what a registrar sees and does, found by role and
 * label as a person finds them, so the journeys read as the work and survive markup changes.
 */
export class FindPatientPage {
  constructor(
    private readonly page: Page,
    private readonly baseUrl: string,
  ) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Find a patient' }).first().click();
    await this.page.waitForURL((url) => url.pathname === '/patients');
  }

  /** Types into the one search box and waits until the results say how many were found. */
  async search(text: string): Promise<void> {
    await this.page.getByLabel('Name, MRN or birth date').fill(text);
    await this.page.getByRole('status').filter({ hasText: text }).waitFor();
  }

  /** The rows of the results table, best match first. */
  results(): Locator {
    return this.page.getByRole('table', { name: 'Patients found' }).getByRole('row');
  }

  /** Opens the chart of the result whose name matches. */
  async openChart(name: RegExp): Promise<void> {
    await this.page.getByRole('link', { name }).first().click();
    await this.page.waitForURL(/\/patients\/[^/]+$/);
  }

  get url(): string {
    return `${this.baseUrl}/patients`;
  }
}

/** The person a registrar is registering, as typed at the desk. */
export interface Registration {
  family: string;
  given: string;
  /** As typed: `YYYY-MM-DD` or `MM/DD/YYYY`. */
  birthDate: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  line?: string;
  city?: string;
  postalCode?: string;
  phone?: string;
}

export class RegisterPatientPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Register a patient' }).first().click();
    await this.page.waitForURL((url) => url.pathname === '/patients/new');
  }

  async fill(person: Registration): Promise<void> {
    await this.page.getByLabel('Family name').fill(person.family);
    await this.page.getByLabel('Given names').fill(person.given);
    await this.page.getByLabel('Birth date').fill(person.birthDate);
    await this.page.getByLabel('Administrative sex').selectOption(person.sex);
    if (person.line) await this.page.getByLabel('Street address').fill(person.line);
    if (person.city) await this.page.getByLabel('City').fill(person.city);
    if (person.postalCode) await this.page.getByLabel('Postal code').fill(person.postalCode);
    if (person.phone) await this.page.getByLabel('Phone').fill(person.phone);
  }

  /** Asks for existing records of this person and waits for the answer. */
  async checkForExistingRecords(): Promise<void> {
    await this.page.getByRole('button', { name: 'Check for existing records' }).click();
    await this.page
      .getByText(/No existing record matches|already registered|may already be registered/)
      .first()
      .waitFor();
  }

  /** The warning shown when the person may already be on record. */
  duplicateWarning(): Locator {
    return this.page.getByRole('alert').filter({ hasText: /already registered/ });
  }

  candidates(): Locator {
    return this.page.getByRole('table', { name: 'Possible duplicates' }).getByRole('row');
  }

  async registerNew(): Promise<void> {
    await this.page.getByRole('button', { name: /register new patient/i }).click();
    await this.page.waitForURL(/\/patients\/[^/]+$/);
  }

  async openExisting(): Promise<void> {
    await this.page.getByRole('link', { name: 'Open record' }).first().click();
    await this.page.waitForURL(/\/patients\/[^/]+$/);
  }
}

/** The patient banner, on top of every patient screen. */
export class PatientBanner {
  readonly region: Locator;

  constructor(page: Page) {
    this.region = page.getByRole('region', { name: 'Patient banner' });
  }

  name(): Locator {
    return this.region.getByTestId('banner-name');
  }

  mrn(): Locator {
    return this.region.getByTestId('banner-mrn');
  }

  /** The text of one banner fact (`Allergies`, `Location`, `Attending`, `Code status`). */
  fact(label: string): Locator {
    return this.region.getByText(`${label}:`).locator('..');
  }
}
