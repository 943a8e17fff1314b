#!/usr/bin/env node
/**
 * `csp-enrollment`: start, inspect and drive enrollments from a terminal. Talks to Temporal
 * directly (TEMPORAL_ADDRESS), so it works wherever the worker does.
 *
 * Exit codes: 0 done; 1 unexpected error; 2 bad usage or input; 3 not found; 4 refused by the workflow.
 */
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { EnrollmentAlreadyRunning, InvalidEnrollmentRequest, startEnrollment } from '../client/enrollments';
import { loadConfig } from '../config';
import { describeIssues, type Actor } from '../domain/actions';
import type { EnrollmentStatus } from '../domain/status';
import { actions, ENROLLMENT_WORKFLOW, statusQuery } from '../workflows/definitions';

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

options: --as <id> and --role <applicant|reviewer|review-lead|operator> name who acts;
         --json prints machine-readable output.`;

class UsageError extends Error {}

const EXIT = { ok: 0, error: 1, usage: 2, notFound: 3, refused: 4 } as const;

function readJson(file: string | undefined): unknown {
  if (!file) throw new UsageError('a JSON file is required');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function printStatus(status: EnrollmentStatus): void {
  console.log(`${status.enrollmentId}  ${status.companyName}`);
  console.log(
    `stage: ${status.stage}${status.endState ? ` (${status.endState}: ${status.endReason ?? ''})` : ''}`,
  );
  if (status.dueAt) console.log(`due:   ${status.dueAt}`);
  if (status.review.credit)
    console.log(`credit: ${status.review.credit.riskBand} risk, score ${status.review.credit.score}`);
  console.log('timeline:');
  for (const entry of status.audit) {
    const mark = entry.outcome === 'refused' ? '✗' : '•';
    console.log(
      `  ${mark} ${entry.at}  ${entry.actor.padEnd(22)} ${entry.action}${entry.detail ? ` — ${entry.detail}` : ''}`,
    );
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
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
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
        const filter = values.stage ? ` AND CspStage = ${JSON.stringify(values.stage)}` : '';
        const rows: Record<string, unknown>[] = [];
        for await (const run of client.workflow.list({
          query: `WorkflowType = '${ENROLLMENT_WORKFLOW}'${filter}`,
        })) {
          const attrs = run.typedSearchAttributes;
          rows.push({
            enrollmentId: run.workflowId,
            status: run.status.name,
            stage: attrs.getAll().find((p) => p.key.name === 'CspStage')?.value,
            company: attrs.getAll().find((p) => p.key.name === 'CspCompany')?.value,
            startedAt: run.startTime.toISOString(),
          });
        }
        output(rows, () =>
          rows.forEach((r) => console.log(`${r.enrollmentId}  ${String(r.stage).padEnd(22)} ${r.company}`)),
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
        const { agreement } = await handle().query(statusQuery);
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
    await connection.close();
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
    return fail(EXIT.error, err instanceof Error ? err.message : String(err), json);
  })
  .then((code) => process.exit(code));
