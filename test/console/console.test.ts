/**
 * The reviewer console in headless Chromium (Debian's, driven by playwright-core): a reviewer signs
 * in with a token, finds the enrollment in the queue, claims and approves it, and the workflow moves
 * to the agreement stage. A second reviewer's decision on a held review shows the workflow's refusal.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { statusQuery } from '../../src/workflows/definitions';
import {
  enrollToReview,
  startApiStack,
  tokenOf,
  waitForApiStatus,
  type ApiStack,
  type Persona,
} from '../harness/api-stack';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');

let api: ApiStack;
let browser: BrowserContext;
let profile: string;
beforeAll(async () => {
  api = await startApiStack('console');
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-chromium-'));
  // A fresh profile per run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

/** Opens the console and signs in with the keyboard only. */
async function signIn(persona: Persona): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${api.url}/console`);
  await page.getByLabel('Access token').fill(tokenOf(persona));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Pending reviews' }).waitFor();
  return page;
}

/** The queue row of an enrollment; visibility lags a little, so refresh until it is there. */
async function openFromQueue(page: Page, id: string): Promise<void> {
  const row = page.locator(`tr[data-enrollment="${id}"]`);
  for (let i = 0; i < 100 && !(await row.count()); i++) {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(100);
  }
  await row.getByRole('button', { name: /^Open/ }).click();
  await page.getByRole('heading', { name: new RegExp(id) }).waitFor();
}

test('a reviewer approves from the console and the enrollment moves to the agreement stage', async () => {
  const company = 'Hangzhou <script>window.pwned=1</script> Trading Co., Ltd.';
  const id = await enrollToReview(api, {
    organization: {
      name: company,
      registrationNumber: `91330000${Date.now().toString().slice(-10)}`,
      domainPrefix: 'hangzhou',
    },
  });
  const page = await signIn('reviewer');
  await page.getByText('Signed in as reviewer reviewer-1').waitFor();
  await openFromQueue(page, id);

  // The name is shown as text, never run.
  await expect(page.getByRole('heading', { name: new RegExp(id) }).textContent()).resolves.toContain(
    '<script>',
  );
  expect(await page.evaluate('window.pwned')).toBeUndefined();
  await expect(page.locator('#credit').textContent()).resolves.toMatch(/Score/);
  await expect(page.locator('#audit').textContent()).resolves.toContain('credit check done');

  // Reject without a reason is stopped in the page; nothing reaches the workflow.
  await page.getByRole('button', { name: 'Claim' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Claimed: review claimed' }).waitFor();
  await page.getByRole('radio', { name: 'Reject' }).check();
  await page.getByRole('button', { name: 'Submit decision' }).click();
  await page.getByRole('alert').filter({ hasText: 'A reason is required to reject' }).waitFor();
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('reason');

  await page.getByRole('radio', { name: 'Approve' }).check();
  await page.getByLabel(/^Reason/).fill('documents in order');
  await page.getByRole('button', { name: 'Submit decision' }).click();
  await page.getByRole('alert').filter({ hasText: 'Decision recorded: application approved' }).waitFor();

  const status = await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'agreement', 'agreement');
  expect(status.review.approvals[0]).toMatchObject({
    reviewer: 'reviewer:reviewer-1',
    comment: 'documents in order',
  });
  const query = await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);
  expect(query.stage).toBe('agreement');

  await page.getByRole('button', { name: 'Reload enrollment' }).click();
  await page.locator('#summary').getByText('agreement', { exact: true }).waitFor();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-approve.png'), fullPage: true });
  expect(fs.statSync(path.join(ARTIFACTS, 'console-approve.png')).size).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Back to the queue' }).click();
  await page.getByRole('heading', { name: 'Pending reviews' }).waitFor();
  await page.close();
});

test("a second reviewer's decision on a held review shows the workflow's refusal and changes nothing", async () => {
  const id = await enrollToReview(api);
  await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {});
  const before = await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);

  const page = await signIn('secondReviewer');
  await openFromQueue(page, id);
  await expect(page.locator('#summary').textContent()).resolves.toContain('reviewer:reviewer-1');
  await page.getByRole('radio', { name: 'Reject' }).check();
  await page.getByLabel(/^Reason/).fill('not convinced');
  await page.getByRole('button', { name: 'Submit decision' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Refused by the workflow' });
  await alert.waitFor();
  await expect(alert.textContent()).resolves.toBe(
    'Refused by the workflow: the review is held by reviewer:reviewer-1',
  );
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('message');
  expect(await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery)).toEqual(before);
  await page.close();
});
