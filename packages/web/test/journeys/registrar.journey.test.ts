import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindPatientPage, PatientBanner, RegisterPatientPage } from '../pages/registration.pages.js';
import {
  type Browser,
  browserUnavailable,
  type DemoServer,
  demoPatients,
  demoServerStartTimeout,
  openBrowser,
  placeOnUnit,
  screenshot,
  signIn,
  startDemoServer,
} from '../support/index.js';

const unavailable = browserUnavailable();
if (unavailable) console.warn(`Browser journeys skipped: ${unavailable}`);

/** One slip of the keyboard: the second and third letters swapped (Perry → Prery). */
const swapLetters = (word: string) => `${word[0]}${word[2]}${word[1]}${word.slice(3)}`;
/** MM/DD/YYYY, as a US registration desk types a birth date. */
const usDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;

describe.skipIf(Boolean(unavailable))(
  `Registration journeys in Chromium${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    // One demo hospital for every journey of this file: each journey is its own browser (person).
    let server: DemoServer;
    beforeAll(async () => {
      server = await startDemoServer();
    }, demoServerStartTimeout);
    afterAll(async () => server?.stop(), demoServerStartTimeout);

    describe('the registrar at the front desk', () => {
      let browser: Browser;
      const known = demoPatients();
      // Two people of the demo census with names long enough to mistype.
      const searched = known.find((p) => p.family.length >= 5)!;
      const returning = known.find((p) => p !== searched && p.family.length >= 4)!;

      beforeAll(async () => {
        browser = await openBrowser();
        // Given the registrar has signed in through the hospital's sign-in page
        await signIn(browser.page, server.url, 'registrar');
        await screenshot(browser.page, 'home-registrar');
      });
      afterAll(async () => browser?.close());

      it('finds a patient from a misspelt name typed family name first', async () => {
        const find = new FindPatientPage(browser.page, server.url);
        await find.open();
        // When they type the family name with two letters swapped, then the given name
        const typed = `${swapLetters(searched.family)} ${searched.given}`;
        await find.search(typed);
        await screenshot(browser.page, 'search-typo');
        // Then the patient is the first result, with their MRN
        const first = find.results().nth(1);
        await expect(first.textContent()).resolves.toMatch(new RegExp(searched.family, 'i'));
        await expect(first.textContent()).resolves.toContain(searched.mrn);
        // And typing the first six digits of the MRN finds them too
        await find.search(searched.mrn.slice(0, 6));
        await expect(find.results().filter({ hasText: searched.mrn }).count()).resolves.toBe(1);
      });

      it('is warned before registering someone who is already on record, and opens that record', async () => {
        const register = new RegisterPatientPage(browser.page);
        await register.open();
        // When they register a returning patient, the family name missing a letter, the date as MM/DD/YYYY
        await register.fill({
          family: returning.family.slice(0, -1),
          given: returning.given,
          birthDate: usDate(returning.birthDate),
          sex: returning.gender as 'female' | 'male',
        });
        await register.checkForExistingRecords();
        await screenshot(browser.page, 'register-duplicate-warning');
        // Then they are warned, and the existing record is the first candidate
        await expect(register.duplicateWarning().isVisible()).resolves.toBe(true);
        await expect(register.candidates().nth(1).textContent()).resolves.toContain(returning.mrn);
        // And no "register" button is offered without the registrar saying none of these is them
        await expect(
          browser.page.getByRole('button', { name: 'None of these — register new patient' }).isVisible(),
        ).resolves.toBe(true);
        // When they open the existing record, Then its banner shows that patient's MRN
        await register.openExisting();
        const banner = new PatientBanner(browser.page);
        await expect(banner.mrn().textContent()).resolves.toBe(returning.mrn);
      });

      it('registers a genuinely new patient, who gets a new MRN and can then be found', async () => {
        const register = new RegisterPatientPage(browser.page);
        await register.open();
        // When they register someone the hospital has never seen
        await register.fill({
          family: 'Okonkwo-Lindqvist',
          given: 'Zephyrine',
          birthDate: '1988-05-17',
          sex: 'female',
          line: '4 Harbour Lane',
          city: 'Fall River',
          postalCode: '02720',
          phone: '508-555-0142',
        });
        await register.checkForExistingRecords();
        // Then no existing record is offered, and they confirm
        await expect(browser.page.getByText('No existing record matches').isVisible()).resolves.toBe(true);
        await register.registerNew();
        // Then the new chart opens with the banner and the new MRN
        const banner = new PatientBanner(browser.page);
        await expect(banner.name().textContent()).resolves.toMatch(/OKONKWO-LINDQVIST, Zephyrine/i);
        const mrn = (await banner.mrn().textContent()) ?? '';
        expect(mrn).toMatch(/^\d{8}$/);
        expect(known.map((p) => p.mrn)).not.toContain(mrn);
        await expect(browser.page.getByText(`medical record number ${mrn}`).isVisible()).resolves.toBe(true);
        // And the clinical sections the registrar's role may not read are named once, not shown empty
        await expect(browser.page.getByRole('note').textContent()).resolves.toMatch(
          /^Not available to your role: .*problems/,
        );
        await expect(browser.page.getByRole('heading', { name: 'Problems' }).count()).resolves.toBe(0);
        await screenshot(browser.page, 'registered-new-patient');
        // And the search finds her by name with a typo
        const find = new FindPatientPage(browser.page, server.url);
        await find.open();
        await find.search('Zephyrin Okonkwo');
        await expect(find.results().nth(1).textContent()).resolves.toContain(mrn);
      });

      it('works from the keyboard alone: type, Enter, Tab to the patient, Enter opens the chart', async () => {
        const page = browser.page;
        const find = new FindPatientPage(page, server.url);
        await new RegisterPatientPage(page).open();
        await find.open();
        // Given the search box has the focus when the screen opens from the menu
        const box = page.getByLabel('Name, MRN or birth date');
        await expect(box.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
        // When the registrar types a name and presses Enter
        await page.keyboard.type(`${searched.family} ${searched.given}`);
        await page.keyboard.press('Enter');
        await page.getByRole('status').filter({ hasText: searched.given }).waitFor();
        // And tabs to the first patient and presses Enter
        let onPatient = false;
        for (let i = 0; i < 8 && !onPatient; i++) {
          await page.keyboard.press('Tab');
          onPatient = await page.evaluate(
            (family) =>
              document.activeElement?.tagName === 'A' &&
              new RegExp(family, 'i').test(document.activeElement.textContent ?? ''),
            searched.family,
          );
        }
        expect(onPatient).toBe(true);
        await page.keyboard.press('Enter');
        // Then the chart opens on that patient
        await page.waitForURL(/\/patients\/[^/]+$/);
        await expect(new PatientBanner(page).mrn().textContent()).resolves.toBe(searched.mrn);
      });

      it('signs out: back at the signed-out page, and the old access token no longer works', async () => {
        const page = browser.page;
        const token = await page.evaluate(
          () =>
            (JSON.parse(sessionStorage.getItem('hospitium.session') ?? '{}') as { accessToken?: string })
              .accessToken,
        );
        expect(token).toBeTruthy();
        // When the registrar signs out
        await page.getByRole('button', { name: 'Sign out' }).click();
        // Then the sign-in server asks to confirm, for every Hospitium app on this device
        // (waiting for its page first: the app's own "Sign out" button matches the same name)
        await page.waitForURL(/\/auth\/logout/);
        await page.getByRole('heading', { name: 'Sign out of Hospitium?' }).waitFor();
        // And when they confirm
        await page.getByRole('button', { name: 'Sign out', exact: true }).click();
        // Then the app says so
        await page.waitForURL(/\/signed-out/);
        await page.getByText(/You are signed out/).waitFor();
        await screenshot(page, 'signed-out');
        // And the token the tab held is refused by the FHIR API
        const res = await fetch(`${server.url}/fhir/Patient?_count=1`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.status).toBe(401);
        // And opening a patient screen asks to sign in again
        await page.goto(`${server.url}/patients`);
        await page.waitForURL(/\/auth\/interaction\//);
      });
    });

    describe('the physician on the medical-surgical unit', () => {
      let browser: Browser;
      beforeAll(async () => {
        browser = await openBrowser();
      });
      afterAll(async () => browser?.close());

      it('opens the chart of a patient on the unit and sees the banner and the summary', async () => {
        // Given a patient of the demo census has been admitted from the ED to the physician's unit
        const patient = demoPatients()[0]!;
        const { bed } = await placeOnUnit(server.fhir, patient.mrn, 'Medical-Surgical Unit');
        // And the physician has signed in
        await signIn(browser.page, server.url, 'physician');
        // When they find the patient and open the chart
        const find = new FindPatientPage(browser.page, server.url);
        await find.open();
        await find.search(`${patient.given} ${patient.family}`);
        await find.openChart(new RegExp(patient.family, 'i'));
        // Then the banner names the patient, with MRN, age and sex
        const banner = new PatientBanner(browser.page);
        await expect(banner.name().textContent()).resolves.toMatch(new RegExp(patient.family, 'i'));
        await expect(banner.mrn().textContent()).resolves.toBe(patient.mrn);
        await expect(banner.region.textContent()).resolves.toMatch(/\d+ y · (Female|Male)/);
        // And it shows the bed the patient is in
        await banner.fact('Location').filter({ hasText: bed }).waitFor();
        await browser.page.waitForLoadState('networkidle');
        // And the clinical facts are readable to a physician (not refused by the role policy)
        for (const fact of ['Allergies', 'Location', 'Attending', 'Code status']) {
          await expect(banner.fact(fact).textContent()).resolves.not.toMatch(/not available|…$/);
        }
        // And nothing on the banner failed to load
        await expect(banner.region.getByRole('alert').count()).resolves.toBe(0);
        // And the code status, not recorded for this patient, says so rather than staying blank
        await expect(banner.fact('Code status').textContent()).resolves.toBe('Code status:Not documented');
        // And nothing of the summary is withheld from the physician of the unit
        await expect(browser.page.getByRole('note').count()).resolves.toBe(0);
        // And the summary shows the encounters of the record
        await expect(browser.page.getByRole('heading', { name: 'Encounters' }).isVisible()).resolves.toBe(
          true,
        );
        // And the trend chart of the first vital sign has drawn (or says why it cannot)
        await browser.page
          .locator('[aria-label^="Trend of"]')
          .or(browser.page.getByText(/Fewer than two values/))
          .first()
          .waitFor();
        await screenshot(browser.page, 'chart-physician');
      });
    });
  },
);
