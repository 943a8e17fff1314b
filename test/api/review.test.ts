/**
 * Reviewing over HTTP: the queue, claim/release/reassign, decisions by the holder only, refusals
 * as 409s with the workflow's reason that leave the workflow unchanged, the information loop,
 * the agreement and withdrawal.
 */
import { agreementOffered, codeArrived, emailsSettled } from '../../src/domain/status';
import { statusQuery } from '../../src/workflows/definitions';
import {
  enrollToReview,
  startApiStack,
  startBody,
  waitForApiStatus,
  waitForQueue,
  type ApiStack,
} from '../harness/api-stack';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack('api-review');
});
afterAll(() => api?.close());

const status = (id: string) => api.stack.temporal.client.workflow.getHandle(id).query(statusQuery);

test('the queue shows pending reviews oldest due first, with who holds what since when', async () => {
  const first = await enrollToReview(api);
  const second = await enrollToReview(api);
  const queue = await waitForQueue(api, 'reviewer', '/reviews', (items) =>
    [first, second].every((id) => items.some((item) => item.enrollmentId === id)),
  );
  const dues = queue.map((item) => item.reviewDue);
  expect([...dues].sort()).toEqual(dues);
  expect(queue.map((item) => item.enrollmentId).indexOf(first)).toBeLessThan(
    queue.map((item) => item.enrollmentId).indexOf(second),
  );

  const claimed = await api.call('reviewer', 'POST', `/enrollments/${first}/review/claim`, {});
  expect(claimed.status).toBe(200);
  expect(claimed.body).toMatchObject({ enrollmentId: first, stage: 'review', message: 'review claimed' });
  const held = await waitForQueue(api, 'lead', '/reviews', (items) =>
    items.some((item) => item.enrollmentId === first && item.reviewAssignee === 'reviewer:reviewer-1'),
  );
  expect(held.find((item) => item.enrollmentId === first)).toMatchObject({
    reviewAssignee: 'reviewer:reviewer-1',
    heldSince: expect.any(String),
  });

  // Someone else's claim is refused with the reason, and changes nothing.
  const before = await status(first);
  const taken = await api.call('secondReviewer', 'POST', `/enrollments/${first}/review/claim`, {});
  expect(taken.status).toBe(409);
  expect(taken.body.error).toMatchObject({
    code: 'refused',
    message: expect.stringContaining('held by reviewer:reviewer-1'),
  });
  expect(await status(first)).toEqual(before);

  const released = await api.call('reviewer', 'POST', `/enrollments/${first}/review/release`, {});
  expect(released.body.message).toBe('review released');
  expect((await status(first)).review.assignee).toBeUndefined();
});

test('only the holder (or a lead) decides; a refused decision leaves the workflow unchanged', async () => {
  const id = await enrollToReview(api);
  const unclaimed = await api.call('reviewer', 'POST', `/enrollments/${id}/decision`, {
    decision: 'approve',
  });
  expect(unclaimed.status).toBe(409);
  expect(unclaimed.body.error.message).toBe('claim the review before deciding it');

  await api.call('reviewer', 'POST', `/enrollments/${id}/review/claim`, {});
  const before = await status(id);
  const notHolder = await api.call('secondReviewer', 'POST', `/enrollments/${id}/decision`, {
    decision: 'reject',
    reason: 'incomplete business profile',
  });
  expect(notHolder.status).toBe(409);
  expect(notHolder.body.error.message).toBe('the review is held by reviewer:reviewer-1');
  expect(await status(id)).toEqual(before);

  // A lead reassigns, the new holder approves.
  const reassigned = await api.call('lead', 'POST', `/enrollments/${id}/review/reassign`, {
    to: { id: 'reviewer-2', role: 'reviewer' },
  });
  expect(reassigned.body.message).toBe('review assigned to reviewer:reviewer-2');
  const byFormer = await api.call('reviewer', 'POST', `/enrollments/${id}/decision`, { decision: 'approve' });
  expect(byFormer.status).toBe(409);
  const approved = await api.call('secondReviewer', 'POST', `/enrollments/${id}/decision`, {
    decision: 'approve',
    comment: 'documents in order',
  });
  expect(approved.status).toBe(200);
  expect(approved.body.message).toBe('application approved');

  const offered = await waitForApiStatus(api, 'applicant', id, agreementOffered, 'the agreement offer');
  // Staff see who did what; the applicant sees the approval, not the reviewers.
  const forStaff = await status(id);
  const audit = forStaff.audit.map((entry) => entry.action);
  expect(audit).toEqual(expect.arrayContaining(['review claimed', 'review reassigned', 'approved']));
  const forApplicant = offered.audit.map((entry) => `${entry.actor} ${entry.action}`);
  expect(forApplicant).toContain('system application approved');
  expect(forApplicant.join('\n')).not.toMatch(/reviewer-2|review claimed|review reassigned/);

  const wrongDigest = await api.call('applicant', 'POST', `/enrollments/${id}/agreement`, {
    agreementVersion: offered.agreement.version,
    textDigest: '0'.repeat(64),
  });
  expect(wrongDigest.status).toBe(409);
  expect(wrongDigest.body.error.message).toMatch(/digest does not match/);
  const accepted = await api.call('applicant', 'POST', `/enrollments/${id}/agreement`, {
    agreementVersion: offered.agreement.version,
    textDigest: offered.agreement.textDigest,
  });
  expect(accepted.status).toBe(200);
  expect(accepted.body.message).toBe('21Vianet CSP reseller agreement signed');
  // Provisioning is looked at again 5 s after it started (the default policy); the stage is enough here.
  await waitForApiStatus(api, 'applicant', id, (s) => s.stage === 'provisioning', 'provisioning');
  const twice = await api.call('applicant', 'POST', `/enrollments/${id}/agreement`, {
    agreementVersion: offered.agreement.version,
    textDigest: offered.agreement.textDigest,
  });
  expect(twice.status).toBe(409);
  expect(twice.body.error.message).toBe('not possible in stage provisioning');
});

test('the agreement is signed by the enrollment’s global admin as signed in, never by a typed signer', async () => {
  // A colleague started the enrollment; the global admin it names is the applicant persona.
  const id = await enrollToReview(api, {}, 'otherApplicant');
  expect(
    (await api.call('lead', 'POST', `/enrollments/${id}/decision`, { decision: 'approve' })).status,
  ).toBe(200);
  // The global admin reads the offer (version, digest) of an enrollment they did not start.
  const offered = await waitForApiStatus(api, 'applicant', id, agreementOffered, 'the agreement offer');
  // The "approved" email settles first (staff see emails in flight), so the refused calls below
  // are all that could change the status between the two reads.
  await waitForApiStatus(api, 'lead', id, emailsSettled, 'the approval email sent');
  const sign = (persona: 'applicant' | 'otherApplicant' | 'assistant', extra = {}) =>
    api.call(persona, 'POST', `/enrollments/${id}/agreement`, {
      agreementVersion: offered.agreement.version,
      textDigest: offered.agreement.textDigest,
      ...extra,
    });
  const before = await status(id);

  const byOwner = await sign('otherApplicant');
  expect(byOwner.status).toBe(403);
  expect(byOwner.body.error.message).toBe(
    "the 21Vianet CSP reseller agreement is signed by the enrollment's global admin, signed in as themselves; " +
      "this sign-in is li.na@yunfan.example.cn's",
  );
  const typed = await sign('otherApplicant', { signerEmail: 'wei.zhang@yunfan.example.cn' });
  expect(typed.status).toBe(400);
  expect(typed.body.error.message).toMatch(/signerEmail is not taken: the signer is who signed in/);
  const stranger = await sign('assistant');
  expect(stranger.status).toBe(403);
  expect(stranger.body.error.message).toBe('this enrollment belongs to another applicant');
  expect(await status(id)).toEqual(before);

  const signed = await sign('applicant');
  expect(signed.status).toBe(200);
  const after = await status(id);
  expect(after.agreement.acceptance).toMatchObject({
    signer: { name: 'Wei Zhang', email: 'wei.zhang@yunfan.example.cn' },
    acceptedBy: 'applicant:wei.zhang',
    version: offered.agreement.version,
  });
});

test('a sign-in that proves no email signs nothing, even the enrollment’s owner’s', async () => {
  const started = await api.call('assistant', 'POST', '/enrollments', startBody());
  expect(started.status).toBe(201);
  const id = started.body.enrollmentId;
  const unproven = await api.call('assistant', 'POST', `/enrollments/${id}/agreement`, {
    agreementVersion: '2025-01-CN',
    textDigest: 'a'.repeat(64),
  });
  expect(unproven.status).toBe(403);
  expect(unproven.body.error.message).toMatch(/this sign-in proves no email/);
  await api.call('assistant', 'POST', `/enrollments/${id}/withdraw`, {});
});

test('bad decisions are 400s that never reach the workflow; information loop and rejection', async () => {
  const id = await enrollToReview(api);
  await api.call('lead', 'POST', `/enrollments/${id}/review/claim`, {});
  const before = await status(id);
  for (const body of [
    { decision: 'reject' },
    { decision: 'reject', reason: '   ' },
    { decision: 'maybe' },
    { decision: 'approve', actor: { id: 'someone', role: 'review-lead' } },
  ]) {
    const answer = await api.call('lead', 'POST', `/enrollments/${id}/decision`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid-input');
  }
  expect(await status(id)).toEqual(before);

  const asked = await api.call('lead', 'POST', `/enrollments/${id}/decision`, {
    decision: 'request-information',
    reason: 'Please send the 2025 audited accounts',
  });
  expect(asked.status).toBe(200);
  await waitForApiStatus(api, 'applicant', id, (s) => s.stage === 'information-requested', 'the question');
  const empty = await api.call('applicant', 'POST', `/enrollments/${id}/information`, { answer: '' });
  expect(empty.status).toBe(400);
  const answered = await api.call('applicant', 'POST', `/enrollments/${id}/information`, {
    answer: 'Uploaded to the partner portal',
  });
  expect(answered.status).toBe(200);
  await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'review', 'review again');

  const rejected = await api.call('lead', 'POST', `/enrollments/${id}/decision`, {
    decision: 'reject',
    reason: 'accounts show insolvency',
  });
  expect(rejected.status).toBe(200);
  const ended = await waitForApiStatus(api, 'reviewer', id, (s) => s.stage === 'ended', 'the end');
  expect(ended).toMatchObject({ endState: 'rejected', endReason: 'accounts show insolvency' });
});

test('the applicant withdraws; an operator withdraws any; a wrong phone code is answered, not refused', async () => {
  const body = startBody();
  const started = await api.call('applicant', 'POST', '/enrollments', body);
  const id = started.body.enrollmentId;
  await waitForApiStatus(api, 'applicant', id, (s) => codeArrived(s), 'the SMS');
  const wrong = await api.call('applicant', 'POST', `/enrollments/${id}/phone-code`, { code: '000000' });
  expect(wrong.status).toBe(200);
  expect(wrong.body.message).toMatch(/wrong code; 4 attempts left/);
  const newCode = await api.call('applicant', 'POST', `/enrollments/${id}/phone-code/new`, {});
  expect(newCode.body.message).toBe('code #2 was sent by SMS');
  const notYet = await api.call('applicant', 'POST', `/enrollments/${id}/application`, {});
  expect(notYet.status).toBe(400);
  const early = await api.call('applicant', 'POST', `/enrollments/${id}/agreement`, {
    agreementVersion: 'x',
    textDigest: 'a'.repeat(64),
  });
  expect(early.status).toBe(409);
  expect(early.body.error.message).toBe('not possible in stage phone-verification');
  const withdrawn = await api.call('applicant', 'POST', `/enrollments/${id}/withdraw`, {
    reason: 'changed plans',
  });
  expect(withdrawn.status).toBe(200);
  const ended = await waitForApiStatus(api, 'applicant', id, (s) => s.stage === 'ended', 'withdrawn');
  expect(ended).toMatchObject({ endState: 'withdrawn', endReason: 'changed plans' });

  const other = await api.call('applicant', 'POST', '/enrollments', startBody());
  const byOperator = await api.call(
    'operator',
    'POST',
    `/enrollments/${other.body.enrollmentId}/withdraw`,
    {},
  );
  expect(byOperator.status).toBe(200);
  const audit = await waitForApiStatus(
    api,
    'operator',
    other.body.enrollmentId,
    (s) => s.stage === 'ended',
    'end',
  );
  expect(audit.audit.some((entry) => entry.actor === 'operator:operator-1')).toBe(true);
});
