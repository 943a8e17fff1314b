/**
 * Status reads without replay: GET /enrollments/{id} answers from the run's memo (describe), asks
 * the workflow nothing, applies the same allow-lists, and the memo is sealed in the history.
 */
import { Client } from '@temporalio/client';
import { applicantView } from '../../src/domain/applicant-view';
import { ENCRYPTED_ENCODING } from '../../src/codec/encryption-codec';
import { STATUS_MEMO, statusQuery } from '../../src/workflows/definitions';
import { enrollToReview, startApiStack, type ApiStack } from '../harness/api-stack';
import { frontendRequests } from '../harness/frontend-requests';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack('api-status-memo');
}, 60_000);
afterAll(() => api?.close());

const queriesServed = () => frontendRequests('QueryWorkflow');

test('a status read asks the workflow nothing, and each role sees what it saw before', async () => {
  const id = await enrollToReview(api);
  const handle = api.stack.temporal.client.workflow.getHandle(id);
  // The counter is the shared server's: another suite's leftover poll may add to it now and then,
  // while reads that asked the workflow would add to it every time. One quiet round proves it.
  const readAll = async () => {
    const before = await queriesServed();
    const reads = {
      staff: await api.call('reviewer', 'GET', `/enrollments/${id}`),
      applicant: await api.call('applicant', 'GET', `/enrollments/${id}`),
      stranger: await api.call('otherApplicant', 'GET', `/enrollments/${id}`),
    };
    return { ...reads, queried: (await queriesServed()) - before };
  };
  let reads = await readAll();
  for (let round = 1; round < 5 && reads.queried !== 0; round++) reads = await readAll();
  expect(reads.queried).toBe(0);
  const { staff, applicant, stranger } = reads;

  // What the query answers (which does ask the workflow), through the same allow-lists.
  const queried = await handle.query(statusQuery);
  expect(staff.status).toBe(200);
  expect(staff.body).toEqual(queried);
  expect(applicant.status).toBe(200);
  expect(applicant.body).toEqual(JSON.parse(JSON.stringify(applicantView(queried))));
  expect(stranger.status).toBe(403);
});

test('the memo is sealed in the history like every payload', async () => {
  const id = await enrollToReview(api);
  const handle = api.stack.temporal.client.workflow.getHandle(id);
  const history = await handle.fetchHistory();
  const memos = (history.events ?? []).flatMap(
    (event) => event.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields?.[STATUS_MEMO] ?? [],
  );
  expect(memos.length).toBeGreaterThan(3);
  const company = (await handle.query(statusQuery)).companyName;
  for (const payload of memos) {
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(payload.data!).toString('latin1')).not.toContain(company);
  }
  // A client without the payload keys cannot read it.
  const keyless = new Client({ connection: api.stack.temporal.client.connection });
  await expect(keyless.workflow.getHandle(id).describe()).rejects.toThrow();
});

test("a decision's effect reads as soon as it answered, while the step it started is under way", async () => {
  const id = await enrollToReview(api);
  expect((await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {})).status).toBe(200);
  const decided = await api.call('reviewer', 'POST', `/enrollments/${id}/decision`, { decision: 'approve' });
  expect(decided.status).toBe(200);
  // The approval started the agreement's offer: the memo may be behind, the read is not.
  const read = await api.call('reviewer', 'GET', `/enrollments/${id}`);
  expect(read.status).toBe(200);
  expect(read.body.stage).toBe('agreement');
});
