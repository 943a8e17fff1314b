/**
 * The development Temporal UI shows decoded payloads in real Chromium, with no token in any URL,
 * in Temporal UI's unauthenticated settings, or on the dev server's command line: an operator
 * signs in once on the codec server's page (a session cookie), and points Temporal UI's codec
 * setting at the codec server with "Include cross-origin credentials". A browser that did not sign
 * in sees only sealed payloads.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startBody } from '../harness/api-stack';
import { startNpmStart, type NpmStart } from '../harness/npm-start';

let npmStart: NpmStart;
let browser: Browser;
let enrollmentId: string;
let operatorToken: string;
const body = startBody();

beforeAll(async () => {
  npmStart = await startNpmStart();
  operatorToken = /Operator token\s+(\S+)/.exec(npmStart.output())![1];
  const applicantToken = /applicant\s+applicant-1\s+(\S+)/.exec(npmStart.output())![1];
  const started = await fetch(`http://127.0.0.1:${npmStart.ports.api}/enrollments`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${applicantToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(started.status).toBe(201);
  enrollmentId = ((await started.json()) as { enrollmentId: string }).enrollmentId;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await npmStart?.close();
}, 60_000);

const codecEndpoint = () => `http://127.0.0.1:${npmStart.ports.codec}/codec`;
const workflowPage = () =>
  `http://127.0.0.1:${npmStart.ports.ui}/namespaces/default/workflows/${enrollmentId}`;

/** Temporal UI's own codec setting, once per browser, as the sign-in page tells operators to do. */
async function pointTemporalUiAtCodecServer(page: Page): Promise<void> {
  await page.goto(workflowPage());
  await page.getByLabel('Configure Codec Server').click();
  await page.getByPlaceholder('Paste your endpoint here').fill(codecEndpoint());
  await page.getByText('Include cross-origin credentials').click();
  await page.getByRole('button', { name: 'Apply' }).click();
}

/** Loads the workflow page and waits for Temporal UI's decode call; returns its status. */
async function openWorkflow(page: Page): Promise<number> {
  const decoded = page.waitForResponse((response) => response.url() === `${codecEndpoint()}/decode`);
  await page.goto(workflowPage());
  return (await decoded).status();
}

test('no token in Temporal UI’s settings, in any URL it calls, or on the dev server’s command line', async () => {
  const settings = await (await fetch(`http://127.0.0.1:${npmStart.ports.ui}/api/v1/settings`)).text();
  expect(settings).not.toContain(operatorToken);
  const commandLine = fs.readFileSync(`/proc/${npmStart.devServerPid}/cmdline`, 'utf8');
  expect(commandLine).not.toContain(operatorToken);
  expect(commandLine).not.toContain('--ui-codec-endpoint');
});

test('a browser that has not signed in sees sealed payloads only', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await pointTemporalUiAtCodecServer(page);
    expect(await openWorkflow(page)).toBe(401);
    await page.getByRole('heading', { name: 'Input' }).waitFor();
    expect(await page.getByText(body.globalAdmin.email).count()).toBe(0);
  } finally {
    await context.close();
  }
});

test('an operator signs in once; Temporal UI shows the input, the status query and the call stack decoded', async () => {
  const context = await browser.newContext();
  const urls: string[] = [];
  try {
    const page = await context.newPage();
    page.on('request', (request) => urls.push(request.url()));
    await page.goto(codecEndpoint());
    await page.getByLabel('Operator token').fill(operatorToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in').waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'csp_codec_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/codec' });

    await pointTemporalUiAtCodecServer(page);
    expect(await openWorkflow(page)).toBe(200);
    await page.getByText(body.globalAdmin.email).first().waitFor();

    await page.getByText('Queries', { exact: true }).click();
    await page.getByRole('button', { name: 'Run Query' }).click();
    await page.getByText(`"enrollmentId": "${enrollmentId}"`).waitFor();

    await page.getByText('Call Stack', { exact: true }).click();
    await page
      .getByText(/workflows\/enrollment\.ts:\d+/)
      .first()
      .waitFor();

    expect(urls.filter((url) => url.includes(operatorToken))).toEqual([]);
  } finally {
    await context.close();
  }
}, 120_000);
