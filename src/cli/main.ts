#!/usr/bin/env node
/**
 * `csp-enrollment`: start, inspect and drive enrollments from a terminal. Talks to Temporal
 * directly (TEMPORAL_ADDRESS), so it works wherever the worker does.
 *
 * Exit codes: 0 done; 1 unexpected error; 2 bad usage or input; 3 not found; 4 refused by the workflow.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { EnrollmentAlreadyRunning, InvalidEnrollmentRequest, startEnrollment } from '../client/enrollments';
import { encryptedDataConverter } from '../codec/data-converter';
import { keyRingFrom } from '../codec/from-config';
import { loadConfig } from '../config';
import { connectClient, temporalSettings } from '../config/temporal';
import { describeIssues, type Actor } from '../domain/actions';
import { agreementOffered } from '../domain/status';
import { actions, statusQuery } from '../workflows/definitions';
import { byDate, findEnrollments } from '../client/visibility';
import { findFailed, findStuck, NothingToRetry, retryFailedStep } from './operations';
import { printReviews, printStatus, printStuck, printSummaries } from './print';

const USAGE = `usage: csp-enrollment <command> [options]

  enroll <request.json>                      start an enrollment
  status <enrollment-id>                     stage, deadlines and timeline
  list [--stage S]                           enrollments, newest first
  phone-code <enrollment-id> <code>          submit the SMS code (as the applicant)
  new-phone-code <enrollment-id>             ask for a new SMS code
  apply <enrollment-id> <application.json>   submit the CSP application
  answer <enrollment-id> <text>              answer a reviewer's question
  approve <enrollment-id> [--comment C]      approve the review
  reject <enrollment-id> --reason R          reject, with the reason
  request-info <enrollment-id> --reason Q    ask the applicant for more information
  accept-agreement <enrollment-id>           accept the offered agreement (as the applicant)
  withdraw <enrollment-id> [--reason R]      withdraw the enrollment

reviewers:
  reviews                                    pending reviews, oldest due first, with holders
  claim <enrollment-id>                      take a pending review
  release <enrollment-id>                    give a review back to the queue
  reassign <enrollment-id> --to ID [--to-role reviewer|review-lead]
                                             assign a review (review leads)

operators:
  stuck [--older-than 7d]                    running enrollments past due, in a stage too long
                                             (with --older-than) or with a step retrying
  failed                                     enrollments that ended failed
  retry <enrollment-id> [--reason R]         run the failed step again (resets the run to
                                             just before it)

options: --as <id> and --role <applicant|reviewer|review-lead|operator> name who acts;
         --json prints machine-readable output.`;

class UsageError extends Error {}
/** Refused before it reaches the workflow, for a reason the workflow would give too. */
class Refused extends Error {}

/** The policy's duration syntax: 7d, 36 hours, 90 minutes. */
const DURATION = /^\d+(\.\d+)?\s*(ms|s|seconds?|m|minutes?|h|hours?|d|days?|w|weeks?)$/;

const EXIT = { ok: 0, error: 1, usage: 2, notFound: 3, refused: 4 } as const;

function readJson(file: string | undefined): unknown {
  if (!file) throw new UsageError('a JSON file is required');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      as: { type: 'string' },
      role: { type: 'string' },
      reason: { type: 'string' },
      comment: { type: 'string' },
      stage: { type: 'string' },
      to: { type: 'string' },
      'to-role': { type: 'string' },
      'older-than': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, id, arg] = positionals;
  if (!command || values.help) {
    console.log(USAGE);
    return command ? EXIT.ok : EXIT.usage;
  }
  const config = loadConfig();
  // The worker's settings and payload keys: the CLI reads and writes the same encrypted payloads.
  const client = await connectClient(temporalSettings(config), encryptedDataConverter(keyRingFrom(config)));
  const output = (json: unknown, text: () => void) =>
    values.json ? console.log(JSON.stringify(json, null, 2)) : text();
  const actorFor = (defaultRole: Actor['role']): Actor => ({
    id: values.as ?? process.env.USER ?? 'cli',
    role: (values.role as Actor['role'] | undefined) ?? defaultRole,
  });
  const handle = () => {
    if (!id) throw new UsageError(`${command} needs an enrollment ID`);
    return client.workflow.getHandle(id);
  };
  const act = async <A extends keyof typeof actions>(name: A, input: Record<string, unknown>) => {
    const result = await handle().executeUpdate(actions[name].update as never, { args: [input] as never });
    output(result, () => console.log((result as { message: string }).message));
  };

  try {
    switch (command) {
      case 'enroll': {
        const started = await startEnrollment(client, {
          taskQueue: config.CSP_TASK_QUEUE,
          request: readJson(id) as never,
        });
        output({ enrollmentId: started.workflowId }, () => console.log(started.workflowId));
        return EXIT.ok;
      }
      case 'status': {
        const status = await handle().query(statusQuery);
        output(status, () => printStatus(status));
        return EXIT.ok;
      }
      case 'list': {
        const rows = await findEnrollments(client, { taskQueue: config.CSP_TASK_QUEUE, stage: values.stage });
        rows.sort((x, y) => y.startedAt.localeCompare(x.startedAt));
        output(rows, () => printSummaries(rows, 'no enrollments'));
        return EXIT.ok;
      }
      case 'reviews': {
        const found = await findEnrollments(client, { taskQueue: config.CSP_TASK_QUEUE, stage: 'review' });
        const rows = await Promise.all(
          found.sort(byDate('reviewDue')).map(async (run) => {
            const status = await client.workflow
              .getHandle(run.enrollmentId)
              .query(statusQuery)
              .catch(() => undefined);
            const assignee = status?.review.assignee;
            return {
              enrollmentId: run.enrollmentId,
              company: run.company,
              reviewDue: run.reviewDue,
              creditRisk: run.creditRisk,
              ...(assignee ? { holder: assignee.holder, heldSince: assignee.since } : {}),
            };
          }),
        );
        output(rows, () => printReviews(rows));
        return EXIT.ok;
      }
      case 'claim':
        await act('claimReview', { actor: actorFor('reviewer') });
        return EXIT.ok;
      case 'release':
        await act('releaseReview', { actor: actorFor('reviewer') });
        return EXIT.ok;
      case 'reassign':
        if (!values.to) throw new UsageError('reassign needs --to <id>');
        await act('reassignReview', {
          actor: actorFor('review-lead'),
          to: { id: values.to, role: values['to-role'] ?? 'reviewer' },
        });
        return EXIT.ok;
      case 'stuck': {
        const olderThan = values['older-than'];
        if (olderThan !== undefined && !DURATION.test(olderThan))
          throw new UsageError(`--older-than: not a duration like 7d or "36 hours": ${olderThan}`);
        const rows = await findStuck(client, config.CSP_TASK_QUEUE, { olderThan });
        output(rows, () => printStuck(rows));
        return EXIT.ok;
      }
      case 'failed': {
        const rows = await findFailed(client, config.CSP_TASK_QUEUE);
        output(rows, () => printSummaries(rows, 'no failed enrollments'));
        return EXIT.ok;
      }
      case 'retry': {
        if (!id) throw new UsageError('retry needs an enrollment ID');
        const who = actorFor('operator');
        const retried = await retryFailedStep(client, id, values.reason ?? `retry by ${who.role}:${who.id}`);
        output({ enrollmentId: id, ...retried }, () =>
          console.log(`${id}: ${retried.step} runs again (new run ${retried.runId})`),
        );
        return EXIT.ok;
      }
      case 'phone-code':
        await act('submitPhoneCode', { actor: actorFor('applicant'), code: arg });
        return EXIT.ok;
      case 'new-phone-code':
        await act('requestPhoneCode', { actor: actorFor('applicant') });
        return EXIT.ok;
      case 'apply':
        await act('submitApplication', { actor: actorFor('applicant'), application: readJson(arg) });
        return EXIT.ok;
      case 'answer':
        await act('answerInformationRequest', { actor: actorFor('applicant'), answer: arg });
        return EXIT.ok;
      case 'approve':
        await act('decideReview', {
          actor: actorFor('reviewer'),
          decision: 'approve',
          ...(values.comment ? { comment: values.comment } : {}),
        });
        return EXIT.ok;
      case 'reject':
        await act('decideReview', { actor: actorFor('reviewer'), decision: 'reject', reason: values.reason });
        return EXIT.ok;
      case 'request-info':
        await act('decideReview', {
          actor: actorFor('reviewer'),
          decision: 'request-information',
          reason: values.reason,
        });
        return EXIT.ok;
      case 'accept-agreement': {
        const status = await handle().query(statusQuery);
        if (status.stage === 'agreement' && !agreementOffered(status))
          throw new Refused('the agreement offer is being prepared; try again in a moment');
        const { agreement } = status;
        await act('acceptAgreement', {
          actor: actorFor('applicant'),
          agreementVersion: agreement.version,
          textDigest: agreement.textDigest,
        });
        return EXIT.ok;
      }
      case 'withdraw':
        await act('withdraw', {
          actor: actorFor('applicant'),
          ...(values.reason ? { reason: values.reason } : {}),
        });
        return EXIT.ok;
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await client.connection.close();
  }
}

function fail(code: number, message: string, json: boolean): number {
  if (json) console.log(JSON.stringify({ error: message }));
  else console.error(message);
  return code;
}

const json = process.argv.includes('--json');
run(process.argv.slice(2))
  .catch((err: unknown) => {
    if (err instanceof UsageError || err instanceof InvalidEnrollmentRequest)
      return fail(EXIT.usage, err.message, json);
    if (err instanceof ZodError) return fail(EXIT.usage, describeIssues(err), json);
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      return fail(EXIT.usage, `${err.message}\n${USAGE}`, json);
    }
    if (err instanceof WorkflowNotFoundError)
      return fail(EXIT.notFound, `no such enrollment: ${err.workflowId}`, json);
    if (err instanceof WorkflowUpdateFailedError)
      return fail(EXIT.refused, `refused: ${err.cause?.message}`, json);
    if (err instanceof EnrollmentAlreadyRunning) return fail(EXIT.refused, err.message, json);
    if (err instanceof NothingToRetry || err instanceof Refused)
      return fail(EXIT.refused, `refused: ${err.message}`, json);
    return fail(EXIT.error, err instanceof Error ? err.message : String(err), json);
  })
  .then((code) => process.exit(code));
