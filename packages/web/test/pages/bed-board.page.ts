import type { Locator, Page } from 'playwright-core';

/**
 * The bed board as a bed manager sees it: beds are buttons named "Bed <name>, <status>[, <patient>]",
 * actions open in a dialog. Queried by role and label, as a user would find them.
 */
export class BedBoardPage {
  constructor(readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/beds`);
    await this.waitUntilLive();
  }

  async waitUntilLive(): Promise<void> {
    await this.page.getByRole('button', { name: /^Bed / }).first().waitFor();
    await this.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  }

  /** A bed by name: in a status (and with an occupant) exactly, or in any status. */
  bed(name: string, status?: string, patient?: string): Locator {
    if (!status) return this.page.getByRole('button', { name: new RegExp(`^Bed ${escapeRegExp(name)}, `) });
    // what is planned for the occupant (a pending transfer, an expected discharge) follows the patient
    const label = `Bed ${name}, ${status}${patient ? `, ${patient}` : ''}`;
    return this.page.getByRole('button', {
      name: new RegExp(`^${escapeRegExp(label)}${patient ? '(, .+)?' : ''}$`),
    });
  }

  /** The name of the first clean bed of a unit code (`3W`, `TELE`). */
  async firstCleanBed(unitCode: string): Promise<string> {
    const label = await this.page
      .getByRole('button', { name: new RegExp(`^Bed ${unitCode} \\d\\d-[A-D], Clean$`) })
      .first()
      .getAttribute('aria-label');
    const name = /^Bed (.+), Clean$/.exec(label ?? '')?.[1];
    if (!name) throw new Error(`no clean bed on ${unitCode}`);
    return name;
  }

  /** The first patient waiting in the ED (from the waiting list), by name. */
  async firstWaitingPatient(): Promise<string> {
    await this.page.getByText(/^Waiting for a bed/).click();
    const label = await this.page
      .getByRole('table', { name: 'Waiting for a bed' })
      .getByRole('button', { name: /^Admit / })
      .first()
      .getAttribute('aria-label');
    return (label ?? '').replace(/^Admit /, '');
  }

  async admitWaiting(patient: string, bed: string): Promise<void> {
    await this.page
      .getByRole('button', { name: `Admit ${patient}`, exact: true })
      .first()
      .click();
    await this.choose('Clean bed', bed);
    await this.page.getByRole('button', { name: 'Admit', exact: true }).click();
    await this.page.getByText('Patient admitted.').waitFor();
  }

  async transfer(fromBed: string, patient: string, toBed: string, reason: string): Promise<void> {
    await this.bed(fromBed, 'Occupied', patient).click();
    await this.page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await this.choose('To clean bed', toBed);
    await this.page.getByLabel('Reason for the transfer').fill(reason);
    await this.page.getByRole('button', { name: 'Transfer', exact: true }).click();
    await this.page.getByText('Patient transferred.').waitFor();
  }

  async discharge(bed: string, patient: string, to: string): Promise<void> {
    await this.bed(bed, 'Occupied', patient).click();
    await this.page.getByRole('button', { name: 'Discharge', exact: true }).click();
    await this.choose('Discharged to', to);
    await this.page.getByRole('button', { name: 'Discharge', exact: true }).click();
    await this.page.getByText(/^Patient discharged/).waitFor();
  }

  /** Asks for a move of the patient to a unit (the bed's "Request transfer" dialog). */
  async requestTransfer(bed: string, patient: string, unit: string, reason: string): Promise<void> {
    await this.bed(bed, 'Occupied', patient).click();
    await this.page.getByRole('button', { name: 'Request transfer', exact: true }).click();
    await this.choose('Wanted unit or bed', unit);
    await this.page.getByLabel('Reason for the transfer').fill(reason);
    await this.page.getByRole('button', { name: 'Request transfer', exact: true }).click();
    await this.page.getByText('Transfer requested.').waitFor();
  }

  /** Plans the discharge at the dialog's default time (tomorrow, this hour) with a note. */
  async planDischarge(bed: string, patient: string, note: string): Promise<void> {
    await this.bed(bed, 'Occupied', patient).click();
    await this.page.getByRole('button', { name: 'Plan discharge', exact: true }).click();
    await this.page.getByLabel('Note').fill(note);
    await this.page.getByRole('button', { name: 'Plan discharge', exact: true }).click();
    await this.page.getByText('Discharge plan saved.').waitFor();
  }

  async bedAction(bed: string, status: string, action: string): Promise<void> {
    await this.bed(bed, status).click();
    await this.page.getByRole('button', { name: action, exact: true }).click();
  }

  private async choose(label: string, option: string): Promise<void> {
    await this.page.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }
}

/** Text as a regular expression matching it literally. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
