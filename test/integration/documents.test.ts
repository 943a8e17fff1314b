/**
 * Documents by the claim-check pattern, through the HTTP API on the dev server: the applicant
 * attaches a business licence to the application and answers a reviewer's request for a document;
 * reviewers read them back verified; the enrollment's history holds references only — no byte of
 * any document, decoded or not; a tampered stored document is detected; the retention job deletes
 * an ended enrollment's documents and sent-mail log and keeps a running one's; the Schedule that
 * runs it exists.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Payload } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRetentionActivities, type RetentionResult } from '../../src/activities/document-retention';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { serviceClient } from '../../src/config/temporal';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { parseKeyRing } from '../../src/codec/key-ring';
import type { EnrollmentStatus } from '../../src/domain/status';
import { FileDocumentStore } from '../../src/integrations/documents/file-store';
import { documentKey } from '../../src/integrations/documents/store';
import { DocumentVault } from '../../src/integrations/documents/vault';
import { SentLog } from '../../src/integrations/mail/sent-once';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from '../../src/worker/retention-schedule';
import { DOCUMENT_RETENTION_WORKFLOW } from '../../src/workflows/document-retention';
import { PNG, pdf } from '../fixtures';
import {
  enrollToReview,
  startApiStack,
  waitForApiStatus,
  type ApiStack,
  type Json,
  type Persona,
} from '../harness/api-stack';
import { newKey, TEST_KEY_RING } from '../harness/keys';

let api: ApiStack;
let dir: string;
let store: FileDocumentStore;
const MARKER = 'LICENCE-MARKER-7d3f9a01c2';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'documents-api-'));
  store = new FileDocumentStore(dir);
  api = await startApiStack('documents', { documents: new DocumentVault(store, TEST_KEY_RING, 256 * 1024) });
});
afterAll(async () => {
  await api?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const upload = (
  persona: Persona,
  id: string,
  bytes: Buffer,
  query: string,
  type = 'application/octet-stream',
) =>
  fetch(`${api.url}/enrollments/${id}/documents?${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer test-token-${persona}-0123456789abcdef`, 'Content-Type': type },
    body: bytes,
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Json,
  }));

const download = (persona: Persona, id: string, documentId: string) =>
  fetch(`${api.url}/enrollments/${id}/documents/${documentId}`, {
    headers: { Authorization: `Bearer test-token-${persona}-0123456789abcdef` },
  });

/** Every payload of the enrollment's history, decoded, and the history's own bytes. */
async function historyBytes(id: string): Promise<Buffer> {
  const history = await api.stack.temporal.client.workflow.getHandle(id).fetchHistory();
  const payloads: Payload[] = [];
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    if (value instanceof Uint8Array) return;
    const candidate = value as Payload;
    if (candidate.data instanceof Uint8Array && candidate.metadata) payloads.push(candidate);
    for (const child of Object.values(value)) visit(child);
  };
  visit(history);
  const decoded = await new EncryptionCodec(TEST_KEY_RING).decode(payloads);
  return Buffer.concat([
    Buffer.from(temporal.api.history.v1.History.encode(history).finish()),
    ...decoded.map((payload) => Buffer.from(payload.data ?? [])),
  ]);
}

test('documents attached to the application and to an answer; read back verified; never in history', async () => {
  const id = await enrollToReview(api);
  const licence = pdf(MARKER);

  // Bad uploads: a clear 4xx each, nothing attached.
  expect((await upload('otherApplicant', id, licence, 'name=licence.pdf')).status).toBe(403);
  expect((await upload('reviewer', id, licence, 'name=licence.pdf')).status).toBe(403);
  const html = await upload(
    'applicant',
    id,
    Buffer.from('<script>alert(1)</script>'),
    'name=licence.pdf',
    'application/pdf',
  );
  expect(html).toMatchObject({ status: 415, body: { error: { code: 'invalid-input' } } });
  expect(html.body.error.message).toMatch(/not a PDF, PNG or JPEG/);
  const mislabelled = await upload('applicant', id, licence, 'name=licence.png', 'image/png');
  expect(mislabelled.status).toBe(415);
  expect(mislabelled.body.error.message).toMatch(/content is application\/pdf, not image\/png/);
  const big = await upload(
    'applicant',
    id,
    Buffer.concat([licence, Buffer.alloc(300 * 1024)]),
    'name=big.pdf',
  );
  expect(big.status).toBe(413);
  const nameless = await upload('applicant', id, licence, 'attachTo=application');
  expect(nameless).toMatchObject({ status: 400 });
  expect(nameless.body.error.message).toMatch(/query: name/);
  expect((await upload('applicant', id, licence, 'name=x.pdf&attachTo=answer')).body.error.message).toMatch(
    /not possible in stage review/,
  );
  const before = await waitForApiStatus(api, 'reviewer', id, () => true, 'status');
  expect(before.documents ?? []).toEqual([]);
  const keysBefore: string[] = [];
  for await (const key of store.list('')) keysBefore.push(key);
  expect(keysBefore.filter((key) => key.startsWith(id))).toEqual([]);

  // The business licence, attached to the application.
  const attached = await upload('applicant', id, licence, `name=${encodeURIComponent('营业执照.pdf')}`);
  expect(attached).toMatchObject({
    status: 201,
    body: { document: { name: '营业执照.pdf', type: 'application/pdf', size: licence.length } },
  });

  // A reviewer asks for another document; the answer must come with one.
  expect((await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {})).status).toBe(200);
  const asked = await api.call('reviewer', 'POST', `/enrollments/${id}/decision`, {
    decision: 'request-information',
    reason: 'Please send your tax registration certificate.',
    documentRequested: 'tax registration certificate (税务登记证)',
  });
  expect(asked.status).toBe(200);
  await waitForApiStatus(api, 'applicant', id, (s) => s.stage === 'information-requested', 'the question');
  const bare = await api.call('applicant', 'POST', `/enrollments/${id}/information`, { answer: 'Attached.' });
  expect(bare.status).toBe(409);
  expect(bare.body.error.message).toMatch(
    /attach the requested document first \(tax registration certificate/,
  );
  const certificate = await upload('applicant', id, PNG, 'name=certificate.png&attachTo=answer', 'image/png');
  expect(certificate.status).toBe(201);
  const answered = await api.call('applicant', 'POST', `/enrollments/${id}/information`, {
    answer: 'Our tax registration certificate is attached.',
  });
  expect(answered.status).toBe(200);

  const status: EnrollmentStatus = await waitForApiStatus(
    api,
    'reviewer',
    id,
    (s) => s.stage === 'review',
    'review',
  );
  expect(status.review.informationRequests[0]).toMatchObject({
    documentRequested: 'tax registration certificate (税务登记证)',
    answer: 'Our tax registration certificate is attached.',
  });
  expect(status.documents).toEqual([
    expect.objectContaining({
      id: attached.body.document.id,
      attachedTo: 'application',
      attachedBy: 'applicant:wei.zhang',
    }),
    expect.objectContaining({
      id: certificate.body.document.id,
      attachedTo: 'answer',
      question: 0,
      type: 'image/png',
    }),
  ]);
  const mine = await api.call('applicant', 'GET', `/enrollments/${id}`);
  expect(mine.body.documents.map((d: { name: string }) => d.name)).toEqual([
    '营业执照.pdf',
    'certificate.png',
  ]);

  // Read back: the reviewer and the owner get the bytes as uploaded; another applicant does not.
  const read = await download('reviewer', id, attached.body.document.id);
  expect(read.status).toBe(200);
  expect(read.headers.get('content-type')).toBe('application/pdf');
  expect(read.headers.get('content-disposition')).toContain("filename*=UTF-8''%E8%90%A5");
  expect(read.headers.get('x-content-type-options')).toBe('nosniff');
  expect(Buffer.from(await read.arrayBuffer()).equals(licence)).toBe(true);
  expect((await download('applicant', id, certificate.body.document.id)).status).toBe(200);
  expect((await download('otherApplicant', id, certificate.body.document.id)).status).toBe(403);
  expect((await download('reviewer', id, `doc-${'0'.repeat(32)}`)).status).toBe(404);

  // The history holds the references, never the bytes: not in Temporal's own encoding, nor decoded.
  const history = await historyBytes(id);
  expect(history.includes(Buffer.from(attached.body.document.sha256))).toBe(true);
  expect(history.includes(Buffer.from(MARKER))).toBe(false);
  expect(history.includes(PNG.subarray(8, 40))).toBe(false);

  // A stored document changed behind the service's back is detected, not served.
  const file = path.join(dir, id, status.attemptId!, attached.body.document.id);
  const sealed = fs.readFileSync(file);
  sealed[sealed.length - 1] ^= 0xff;
  fs.writeFileSync(file, sealed);
  const tampered = await download('reviewer', id, attached.body.document.id);
  expect(tampered.status).toBe(500);
  expect(((await tampered.json()) as { error: { message: string } }).error.message).toMatch(
    /does not match what was uploaded/,
  );
});

test('retention deletes an ended enrollment’s documents and sent-mail log after the policy’s time and keeps a running one’s', async () => {
  const ended = await enrollToReview(api);
  const running = await enrollToReview(api);
  const kept = await upload('applicant', running, pdf(), 'name=kept.pdf');
  const gone = await upload('applicant', ended, pdf(), 'name=gone.pdf');
  expect([kept.status, gone.status]).toEqual([201, 201]);
  expect(
    (await api.call('applicant', 'POST', `/enrollments/${ended}/withdraw`, { reason: 'test' })).status,
  ).toBe(200);
  await api.stack.temporal.client.workflow.getHandle(ended).result();

  // As the worker runs them: through a client on its own native connection (src/worker/run-worker.ts),
  // whose errors must read as gRPC's do (NOT_FOUND here, ALREADY_EXISTS for the Schedule below).
  const { nativeConnection } = api.stack.temporal;
  const workers = serviceClient(nativeConnection, 'default', encryptedDataConverter(TEST_KEY_RING));
  // The Message-IDs each enrollment was sent, as the worker's mailer logs them.
  const sentLog = new SentLog(path.join(dir, 'mail-sent'));
  const orphanId = 'enrollment-91310000GONE000001';
  for (const id of [ended, running, orphanId]) await sentLog.record(id, `<offer.${id}@csp.example>`);
  const { purgeExpiredDocuments } = createRetentionActivities({ store, client: workers, sentLog });
  const env = new MockActivityEnvironment();
  const patient = (await env.run(purgeExpiredDocuments, { retention: '30d' })) as RetentionResult;
  expect(patient.documentsDeleted).toBe(0);
  // Temporal has no run of this one any more: its log goes at once; the others' stay.
  expect(patient.sentMailLogsDeleted).toBe(1);
  expect((await sentLog.enrollments()).sort()).toEqual([ended, running].sort());
  // A run Temporal no longer has (older than the namespace keeps histories) reads as long ended:
  // its NOT_FOUND must be recognised as the native connection reports it.
  const orphan = documentKey(orphanId, 'gone', 'a-document');
  await store.put(orphan, Buffer.from('sealed bytes'));
  const cleaned = (await env.run(purgeExpiredDocuments, { retention: '30d' })) as RetentionResult;
  expect(cleaned.documentsDeleted).toBe(1);
  await expect(store.get(orphan)).resolves.toBeUndefined();
  // Retention finds ended enrollments through visibility, which learns of the end a moment later.
  let deleted = 0;
  for (let i = 0; i < 100 && deleted === 0; i++) {
    if (i) await delay(100);
    deleted = ((await env.run(purgeExpiredDocuments, { retention: '0s' })) as RetentionResult)
      .documentsDeleted;
  }
  expect(deleted).toBeGreaterThanOrEqual(1);
  expect(await sentLog.enrollments()).toEqual([running]);
  await expect(sentLog.has(running, `<offer.${running}@csp.example>`)).resolves.toBe(true);
  expect((await download('reviewer', ended, gone.body.document.id)).status).toBe(410);
  expect((await download('reviewer', running, kept.body.document.id)).status).toBe(200);

  // The daily Schedule that runs it; set up again at every worker start, without error, even
  // over one left sealed with a key this deployment no longer holds.
  const options = { taskQueue: api.stack.taskQueue, retention: '90d' };
  const retired = serviceClient(nativeConnection, 'default', encryptedDataConverter(parseKeyRing(newKey())));
  await api.stack.temporal.client.schedule
    .getHandle(RETENTION_SCHEDULE_ID)
    .delete()
    .catch(() => undefined);
  await ensureRetentionSchedule(retired, { ...options, retention: '1d' });
  await expect(
    api.stack.temporal.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe(),
  ).rejects.toThrow(/does not hold/);
  await ensureRetentionSchedule(workers, options);
  await ensureRetentionSchedule(workers, { ...options, retention: '120d' });
  const schedule = await api.stack.temporal.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
  expect(schedule.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: DOCUMENT_RETENTION_WORKFLOW,
    args: [{ retention: '120d' }],
  });
  expect(schedule.spec.intervals?.[0]?.every).toBe(86_400_000);
  await api.stack.temporal.client.schedule.getHandle(RETENTION_SCHEDULE_ID).delete();
});
