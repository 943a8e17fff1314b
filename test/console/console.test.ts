/**
 * The reviewer console in headless Chromium (Debian's, driven by playwright-core): a reviewer signs
 * in with a token, finds the enrollment in the queue, claims and approves it, and the workflow moves
 * to the agreement stage. A second reviewer's decision on a held review shows the workflow's refusal.
 * A reviewer reads the applicant's answer and documents (verified in the page) and decides; a lead
 * searches by registration number; an operator sees an incident and runs its step again; a link
 * to a case opens that case after sign-in. Screenshots in test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { codeArrived } from '../../src/domain/status';
import { FileDocumentStore } from '../../src/integrations/documents/file-store';
import { DocumentVault } from '../../src/integrations/documents/vault';
import { actions, statusQuery } from '../../src/workflows/definitions';
import { applicant, enrollmentRequest, PNG, pdf, reviewer } from '../fixtures';
import {
  acceptOffer,
  approve,
  start,
  submitApplication,
  waitForReview,
  waitForStatus,
} from '../harness/driver';
import { TEST_KEY_RING } from '../harness/keys';
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
let documentsDir: string;
beforeAll(async () => {
  documentsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-documents-'));
  api = await startApiStack('console', {
    documents: new DocumentVault(new FileDocumentStore(documentsDir), TEST_KEY_RING, 1024 * 1024),
  });
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
  if (documentsDir) fs.rmSync(documentsDir, { recursive: true, force: true });
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

test('the console loads and signs in without an error in the browser console', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${api.url}/console`);
  await page.getByLabel('Access token').fill(tokenOf('reviewer'));
  await page.keyboard.press('Enter');
  await page.getByText('Signed in as reviewer reviewer-1').waitFor();
  // Requests the page makes by itself (an icon, say) have settled.
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
  await page.close();
});

test('a reviewer approves from the console and the enrollment moves to the agreement stage', async () => {
  const company = 'Hangzhou <script>window.pwned=1</script> Trading Co., Ltd.';
  const id = await enrollToReview(api, {
    organization: {
      name: company,
      registrationNumber: `91330000${Date.now().toString().slice(-10)}`,
      phone: '+86 139 1234 5678',
      workAccount: { kind: 'new', domainPrefix: `hangzhou-${Date.now().toString(36)}` },
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
  // Times inside the entries read as the page's other dates, not as the workflow's ISO strings.
  await expect(page.locator('#timeline').textContent()).resolves.toMatch(/stage review \(due /);
  for (const list of ['#timeline', '#audit'])
    await expect(page.locator(list).textContent()).resolves.not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);

  // Reject without a reason is stopped in the page; nothing reaches the workflow.
  await page.getByRole('button', { name: 'Claim' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'Claimed: review claimed' }).waitFor();
  await expect(page.locator('#summary').textContent()).resolves.toMatch(/Review escalates.*Held by/s);
  await page.getByRole('radio', { name: 'Reject' }).check();
  await page.getByRole('button', { name: 'Submit decision' }).click();
  await page.getByRole('alert').filter({ hasText: 'A reason is required to reject' }).waitFor();
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('reason');

  await page.getByRole('radio', { name: 'Approve' }).check();
  await page.getByLabel(/^Reason \(required/).fill('documents in order');
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
  // The review is over: its deadlines and holder are no longer shown as if it were pending.
  await expect(page.locator('#summary').textContent()).resolves.not.toMatch(/Review escalates|Held by/);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-approve.png'), fullPage: true });
  expect(fs.statSync(path.join(ARTIFACTS, 'console-approve.png')).size).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Back to the list' }).click();
  await page.getByRole('heading', { name: 'Pending reviews' }).waitFor();
  await page.close();
});

test('an enrollment opened while another was still loading: the console shows, and acts on, the last opened', async () => {
  const first = await enrollToReview(api);
  const second = await enrollToReview(api);
  const page = await signIn('reviewer');
  await openFromQueue(page, second);
  await page.getByRole('button', { name: 'Back' }).click();
  await openFromQueue(page, first);
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('heading', { name: 'Pending reviews' }).waitFor();
  // The first's status is slow to come; the reviewer opens the second meanwhile.
  let firstAnswered = false;
  await page.route(`**/enrollments/${first}`, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
    firstAnswered = true;
  });
  await page.locator(`tr[data-enrollment="${first}"]`).getByRole('button', { name: /^Open/ }).click();
  await page.locator(`tr[data-enrollment="${second}"]`).getByRole('button', { name: /^Open/ }).click();
  await page.getByRole('heading', { name: new RegExp(second) }).waitFor();
  for (let i = 0; i < 100 && !firstAnswered; i++) await page.waitForTimeout(20);
  await page.waitForTimeout(200);
  await expect(page.locator('#detail-title').textContent()).resolves.toContain(second);
  await page.getByRole('button', { name: 'Claim' }).click();
  await page.getByRole('alert').filter({ hasText: 'Claimed' }).waitFor();
  const holder = async (id: string) =>
    (await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery)).review.assignee?.holder;
  expect({ first: await holder(first), second: await holder(second) }).toEqual({
    first: undefined,
    second: 'reviewer:reviewer-1',
  });
});

test("a second reviewer's decision on a held review shows the workflow's refusal and changes nothing", async () => {
  const id = await enrollToReview(api);
  await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {});
  const before = await api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);

  const page = await signIn('secondReviewer');
  await openFromQueue(page, id);
  await expect(page.locator('#summary').textContent()).resolves.toContain('reviewer:reviewer-1');
  await page.getByRole('radio', { name: 'Reject' }).check();
  await page.getByLabel(/^Reason \(required/).fill('not convinced');
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

const screenshot = async (page: Page, name: string) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
};

/** An upload as the applicant, over HTTP (the applicant's own tools, not the console). */
async function upload(id: string, bytes: Buffer, query: string): Promise<void> {
  const response = await fetch(`${api.url}/enrollments/${id}/documents?${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokenOf('applicant')}`, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
}

test('a reviewer reads the answer to a question and its documents, verified, and decides', async () => {
  const id = await enrollToReview(api);
  await upload(id, pdf(), `name=${encodeURIComponent('营业执照.pdf')}`);
  const page = await signIn('reviewer');
  await openFromQueue(page, id);
  await expect(page.locator('#organization').textContent()).resolves.toMatch(
    /Registration number.*Global adminWei Zhang <wei\.zhang@yunfan\.example\.cn>/s,
  );
  await expect(page.locator('#application').textContent()).resolves.toMatch(/Support phone\+86/);
  await expect(page.locator('#contacts').textContent()).resolves.toMatch(/@.*\+86/);

  // Claim, then ask for a document with the question.
  await page.getByRole('button', { name: 'Claim' }).click();
  await page.getByRole('alert').filter({ hasText: 'Claimed' }).waitFor();
  await page.getByRole('radio', { name: 'Request information' }).check();
  await page.getByLabel(/^Reason \(required/).fill('Please send your tax registration certificate.');
  await page.getByLabel('Document the answer must come with (optional)').fill('tax registration certificate');
  await page.getByRole('button', { name: 'Submit decision' }).click();
  await page.getByRole('alert').filter({ hasText: 'information requested' }).waitFor();

  // The applicant answers, with the document, through the API.
  await waitForApiStatus(api, 'applicant', id, (s) => s.stage === 'information-requested', 'the question');
  await upload(id, PNG, 'name=certificate.png&attachTo=answer');
  const answered = await api.call('applicant', 'POST', `/enrollments/${id}/information`, {
    answer: 'Our certificate is attached; we serve Shanghai and Jiangsu.',
  });
  expect(answered.status).toBe(200);
  await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'review', 'the review again');

  await page.getByRole('button', { name: 'Reload enrollment' }).click();
  const thread = page.locator('#questions');
  await thread.getByText('Our certificate is attached; we serve Shanghai and Jiangsu.').waitFor();
  await expect(thread.textContent()).resolves.toMatch(
    /Document requested: tax registration certificate.*Answered by applicant:wei\.zhang.*With: certificate\.png/s,
  );

  // Each document opens in the page, its SHA-256 checked there against the recorded one.
  await page.getByRole('button', { name: 'Open certificate.png' }).click();
  await page
    .locator('#viewer-check')
    .getByText(/^SHA-256 verified: [0-9a-f]{64}$/)
    .waitFor();
  await expect(
    page
      .locator('#viewer-image')
      .evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth),
  ).resolves.toBe(1);
  await screenshot(page, 'console-case-answer-and-document.png');
  await page.getByRole('button', { name: 'Open 营业执照.pdf' }).click();
  await page.locator('#viewer-title').getByText('营业执照.pdf').waitFor();
  await page
    .locator('#viewer-check')
    .getByText(/^SHA-256 verified/)
    .waitFor();
  await expect(page.locator('#viewer-download').getAttribute('download')).resolves.toBe('营业执照.pdf');

  await page.getByRole('radio', { name: 'Approve' }).check();
  await page.getByRole('button', { name: 'Submit decision' }).click();
  await page.getByRole('alert').filter({ hasText: 'Decision recorded: application approved' }).waitFor();
  await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'agreement', 'agreement');
  await page.close();
});

test('a lead searches by registration number, and sees recently decided and by-stage lists', async () => {
  const id = await enrollToReview(api);
  const registration = id.replace('enrollment-', '');
  const page = await signIn('lead');
  await page.getByRole('button', { name: 'Search', exact: true }).first().click();
  await page.getByRole('heading', { name: 'Search' }).waitFor();
  await page.getByLabel('Search by').selectOption('registrationNumber');
  await page.getByLabel('Text').fill(registration.toLowerCase());
  await page.keyboard.press('Enter');
  const row = page.locator(`tr[data-enrollment="${id}"]`);
  for (let i = 0; i < 100 && !(await row.count()); i++) {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(100);
  }
  await expect(row.textContent()).resolves.toContain('review');
  await screenshot(page, 'console-search.png');
  await row.getByRole('button', { name: /^Open/ }).click();
  await page.locator('#organization').getByText(registration).waitFor();

  await page.getByRole('button', { name: 'By stage' }).click();
  await page.getByLabel('Stage', { exact: true }).selectOption('review');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator(`tr[data-enrollment="${id}"]`).waitFor();
  // Each list shows its own filters only.
  await expect(page.locator('#stage-filter').isVisible()).resolves.toBe(true);
  await expect(page.locator('#search-form').isVisible()).resolves.toBe(false);
  await page.getByRole('button', { name: 'Recently decided' }).click();
  await page.getByRole('heading', { name: 'Recently decided' }).waitFor();
  await expect(page.locator('#stage-filter').isVisible()).resolves.toBe(false);
  await expect(page.locator('#search-form').isVisible()).resolves.toBe(false);
  await page.close();
});

test('an operator sees an incident, opens it from a link, and runs the failed step again', async () => {
  // Provisioning fails its only attempt (the simulator fails a "ProvisionFail" company's first).
  const request = enrollmentRequest({
    organization: {
      ...enrollmentRequest().organization,
      name: 'Suzhou ProvisionFail Systems Co., Ltd.',
      phone: '+86 139 8888 0001',
    },
    policy: { provisioning: { maxAttempts: 1, pollEvery: '100 ms' } },
  });
  const handle = await start(api.stack.temporal.client, api.stack.taskQueue, request);
  await waitForStatus(handle, (s) => codeArrived(s), 'the SMS code');
  const [sms] = api.stack.simulator.sentCodes('+8613988880001');
  await handle.executeUpdate(actions.submitPhoneCode.update, {
    args: [{ actor: applicant, code: sms.code }],
  });
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await acceptOffer(handle);
  await waitForStatus(handle, (s) => s.incident?.step === 'provisioning', 'the incident');

  const page = await signIn('operator');
  await page.getByRole('button', { name: 'Incidents' }).click();
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  const row = page.locator(`tr[data-enrollment="${handle.workflowId}"]`);
  for (let i = 0; i < 100 && !(await row.count()); i++) {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForTimeout(100);
  }
  await expect(row.textContent()).resolves.toContain('provisioning');
  // Refresh pressed again before the list came back: the last load shows its rows, once.
  let answered = 0;
  page.on('response', (response) => void (response.url().includes('incident=true') && answered++));
  await page.evaluate("for (let i = 0; i < 3; i++) document.getElementById('refresh').click()");
  for (let i = 0; i < 100 && answered < 3; i++) await page.waitForTimeout(20);
  await page.waitForTimeout(200);
  expect(answered).toBe(3);
  await expect(row.count()).resolves.toBe(1);
  await screenshot(page, 'console-incidents.png');

  // The link an incident email carries opens the case (after sign-in, in a fresh tab too).
  const linked = await browser.newPage();
  await linked.goto(`${api.url}/console/#enrollment=${handle.workflowId}`);
  await linked.getByLabel('Access token').fill(tokenOf('operator'));
  await linked.keyboard.press('Enter');
  await linked.getByRole('heading', { name: new RegExp(handle.workflowId) }).waitFor();
  await expect(linked.locator('#incident').textContent()).resolves.toMatch(
    /Stepprovisioning.*provisioning failed 1 times/s,
  );
  await linked.getByRole('button', { name: 'Settle' }).click();
  await linked.getByRole('alert').filter({ hasText: 'A reason is required' }).waitFor();
  await linked.getByLabel('Why (audited)').fill('Partner Center fixed the region; run it again');
  await linked.getByRole('button', { name: 'Settle' }).click();
  await linked.getByRole('alert').filter({ hasText: 'Step run again' }).waitFor();
  await screenshot(linked, 'console-incident-settled.png');
  const settled = await waitForStatus(
    handle,
    (s) => !s.incident && !!s.provisioning.readyAt,
    'provisioning ready',
  );
  expect(settled.incidents?.[0]).toMatchObject({ action: 'retry', closedBy: 'operator:operator-1' });
  await linked.close();
  await page.close();
});
