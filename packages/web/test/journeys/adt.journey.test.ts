import { afterAll, beforeAll, describe, it } from 'vitest';
import { BedBoardPage, escapeRegExp } from '../pages/bed-board.page.js';
import {
  type Browser,
  browserUnavailable,
  type DemoServer,
  demoServerStartTimeout,
  openBrowser,
  screenshot,
  signIn,
  startDemoServer,
} from '../support/index.js';

const unavailable = browserUnavailable();
if (unavailable) console.warn(`Browser journeys skipped: ${unavailable}`);

/**
 * ADT on the bed board, in a real browser, as Given/When/Then: the bed manager admits an ED
 * patient to a clean bed, a nurse's board (another person, another browser) shows it live, a
 * transfer asked for and a discharge planned show on both boards, the transfer (which completes
 * the request) with a reason, discharge leaves the bed dirty, housekeeping cleans it.
 */
describe.skipIf(Boolean(unavailable))(
  `ADT journeys on the bed board${unavailable ? ` — skipped: ${unavailable}` : ''}`,
  () => {
    let server: DemoServer;
    let manager: Browser;
    let nurse: Browser;
    let board: BedBoardPage;
    let nurseBoard: BedBoardPage;
    let patient: string;
    let firstBed: string;
    let secondBed: string;

    beforeAll(async () => {
      server = await startDemoServer();
      manager = await openBrowser();
      nurse = await openBrowser();
    }, demoServerStartTimeout);
    afterAll(async () => {
      await manager?.close();
      await nurse?.close();
      await server?.stop();
    }, demoServerStartTimeout);

    it('Given the bed manager and a nurse on the bed board, when the manager admits an ED patient to a clean bed, then both boards show the patient in it', async () => {
      // Given
      await signIn(manager.page, server.url, 'bedmanager', '/beds');
      board = new BedBoardPage(manager.page);
      await board.waitUntilLive();
      await signIn(nurse.page, server.url, 'nurse', '/beds');
      nurseBoard = new BedBoardPage(nurse.page);
      await nurseBoard.waitUntilLive();
      await screenshot(manager.page, 'adt-bed-board');
      patient = await board.firstWaitingPatient();
      firstBed = await board.firstCleanBed('3W');
      // When
      await board.admitWaiting(patient, firstBed);
      // Then: on the manager's board, and on the nurse's without a reload
      await board.bed(firstBed, 'Occupied', patient).waitFor();
      await nurseBoard.bed(firstBed, 'Occupied', patient).waitFor({ timeout: 5_000 });
      await nurseBoard.bed(firstBed, 'Occupied', patient).scrollIntoViewIfNeeded();
      await screenshot(nurse.page, 'adt-live-second-user');
    });

    it('When the manager asks for a move to telemetry and plans the discharge, then both boards show them on the bed and in the summary', async () => {
      await board.requestTransfer(firstBed, patient, 'Telemetry Unit', 'Needs cardiac monitoring');
      const requested = `Bed ${firstBed}, Occupied, ${patient}, Transfer to Telemetry Unit requested`;
      await nurse.page.getByRole('button', { name: requested, exact: true }).waitFor({ timeout: 5_000 });
      await board.planDischarge(firstBed, patient, 'After the echo');
      const planned = new RegExp(`^${escapeRegExp(requested)}, Discharge expected tomorrow \\d\\d:\\d\\d$`);
      await nurse.page.getByRole('button', { name: planned }).waitFor({ timeout: 5_000 });
      await nurse.page.getByText(/^Pending transfers \(\d+\) and expected discharges/).click();
      await nurse.page
        .getByRole('table', { name: 'Pending transfers and expected discharges' })
        .getByRole('row', { name: new RegExp(patient) })
        .waitFor();
      await nurse.page.getByRole('button', { name: planned }).scrollIntoViewIfNeeded();
      await screenshot(nurse.page, 'adt-planned-moves');
    });

    it('When the manager transfers the patient with a reason, then the new bed is occupied and the old one dirty', async () => {
      secondBed = await board.firstCleanBed('TELE');
      await board.transfer(firstBed, patient, secondBed, 'Needs cardiac monitoring');
      await board.bed(secondBed, 'Occupied', patient).waitFor();
      await board.bed(firstBed, 'Dirty').waitFor();
      await nurseBoard.bed(firstBed, 'Dirty').waitFor({ timeout: 5_000 });
    });

    it('When the manager discharges the patient home, then the bed is dirty and waits for housekeeping', async () => {
      await board.discharge(secondBed, patient, 'Home');
      await board.bed(secondBed, 'Dirty').waitFor();
      await board.bed(secondBed, 'Dirty').scrollIntoViewIfNeeded();
      await screenshot(manager.page, 'adt-after-discharge');
    });

    it('When the nurse starts cleaning and marks the bed clean, then every board shows it cleaning, then clean', async () => {
      await nurseBoard.bedAction(secondBed, 'Dirty', 'Start cleaning');
      await nurseBoard.bed(secondBed, 'Cleaning').waitFor();
      await board.bed(secondBed, 'Cleaning').waitFor({ timeout: 5_000 });
      await nurseBoard.bed(secondBed, 'Cleaning').scrollIntoViewIfNeeded();
      await screenshot(nurse.page, 'adt-cleaning');
      await nurseBoard.bedAction(secondBed, 'Cleaning', 'Mark clean');
      await nurseBoard.bed(secondBed, 'Clean').waitFor();
      await board.bed(secondBed, 'Clean').waitFor({ timeout: 5_000 });
    });
  },
);
