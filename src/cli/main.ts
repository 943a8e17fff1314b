#!/usr/bin/env node
/**
 * `csp-enrollment`: start, inspect and drive enrollments from a terminal. Talks to Temporal
 * directly (TEMPORAL_ADDRESS), so it works wherever the worker does.
 *
 * Exit codes: 0 done; 1 unexpected error; 2 bad usage or input; 3 not found; 4 refused by the workflow.
 */
// First: the modules imported after it are compiled once, then taken from the cache.
import '../process/compile-cache';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import {
  AlreadyEnrolled,
  EnrollmentAlreadyRunning,
  InvalidEnrollmentRequest,
  startEnrollment,
} from '../client/enrollments';
import { encryptedDataConverter } from '../codec/data-converter';
import { keyRingFrom } from '../codec/from-config';
import { workerKeyGuard } from '../codec/worker-keys';
import { loadConfig } from '../config';
import { connectClient, temporalSettings } from '../config/temporal';
import { ACTION_SCHEMAS, describeIssues, type Actor, type ActionName } from '../domain/actions';
import { AGREEMENT_NAME } from '../domain/agreement';
import { DURATION_PATTERN } from '../domain/enrollment';
import { agreementOffered } from '../domain/status';
import { confirm } from './confirm';
import { untilReady } from './wait';
import { directory, parseDirectory, type Directory } from '../auth/directory';
import { parseTokens } from '../api/tokens';
import { readEnrollmentStatus } from '../client/status';
import { STEP_FAILED, actions } from '../workflows/definitions';
import { ApplicationFailure } from '@temporalio/common';
import {
  enrollmentsPage,
  latestRunsOnly,
  LIST_ORDERS,
  pendingReviewsPage,
  type ListOrder,
} from '../client/lists';
import type { PageRequest } from '../client/visibility';
import { EnrollmentRequest, enrollmentIdFor } from '../domain/enrollment';
import { findStuck, NothingToRepair, NothingToRetry, repairFailingRun, retryFailedStep } from './operations';
import { printPage, printReviews, printStatus, printStuck, printSummaries } from './print';

const USAGE = `usage: csp-enrollment <command> [options]

  enroll <request.json>                      start an enrollment
  status <enrollment-id>                     stage, deadlines and timeline
  list [--stage S] [--end-state E] [--company PREFIX] [--mpn-id M] [--registration-number R]
       [--order recent|due|decided|stage-since]
                                             enrollments, newest first (or in the order asked)
  phone-code <enrollment-id> <code>          submit the SMS code (as the applicant)
  new-phone-code <enrollment-id>             ask for a new SMS code
  apply <enrollment-id> <application.json>   submit the CSP application
  answer <enrollment-id> <text>              answer a reviewer's question
  approve <enrollment-id> [--comment C]      approve the review
  reject <enrollment-id> --reason R          reject, with the reason
  request-info <enrollment-id> --reason Q    ask the applicant for more information
  correct-account <enrollment-id> (--existing-domain D | --new-prefix P) [--admin person.json]
                                             correct the account details Partner Center refused
  accept-agreement <enrollment-id> [--signer-email E] [--yes]
                                             record the 21Vianet CSP reseller agreement signed
                                             by the global admin (default: the enrollment's; the
                                             CLI holds the keys, so it names the signer; the API
                                             takes them from the sign-in); shows it, asks first
  withdraw <enrollment-id> [--reason R]      withdraw the enrollment

reviewers:
  reviews                                    pending reviews, oldest due first, with holders
  claim <enrollment-id>                      take a pending review
  release <enrollment-id>                    give a review back to the queue
  reassign <enrollment-id> --to ID [--to-role reviewer|review-lead]
                                             assign a review (review leads)

operators:
  stuck [--older-than 7d]                    running enrollments past due, in an incident, or in
                                             their stage too long (with --older-than)
  incidents                                  enrollments waiting for an operator, longest first
  failed                                     enrollments that ended failed
  retry <enrollment-id> [--reason R]         run the failed step again (resets the run to
                                             just before it)
  repair <enrollment-id> [--reason R]        decide the last workflow task again, for a running
                                             enrollment whose workflow task fails every time
  incident <enrollment-id> retry|end --reason R
                                             settle an incident: run the failed step again, or
                                             end the enrollment (the applicant is told)
  extend-deadline <enrollment-id> --until T --reason R
                                             move the current stage's deadline later
  resend-email <enrollment-id> <key>         send an undelivered email again (the key is in
                                             the status' undelivered list)

options: --as <id> and --role <applicant|reviewer|review-lead|operator> name who acts;
         --json prints machine-readable output; lists print one page (--page-size, default 50)
         and the --page-token of the next.`;

class UsageError extends Error {}
/** Refused before it reaches the workflow, for a reason the workflow would give too. */
class Refused extends Error {}

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
      'existing-domain': { type: 'string' },
      'new-prefix': { type: 'string' },
      admin: { type: 'string' },
      'signer-email': { type: 'string' },
      until: { type: 'string' },
      'end-state': { type: 'string' },
      company: { type: 'string' },
      'mpn-id': { type: 'string' },
      'registration-number': { type: 'string' },
      order: { type: 'string' },
      'page-size': { type: 'string' },
      'page-token': { type: 'string' },
      yes: { type: 'boolean', short: 'y', default: false },
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
  const keyRing = keyRingFrom(config);
  const client = await connectClient(temporalSettings(config), encryptedDataConverter(keyRing));
  // Before sending anything: would the workers open what this CLI seals?
  const workersReadOurKey = workerKeyGuard(client, config.CSP_TASK_QUEUE, keyRing);
  const output = (json: unknown, text: () => void) =>
    values.json ? console.log(JSON.stringify(json, null, 2)) : text();
  const actorFor = (defaultRole: Actor['role']): Actor => ({
    id: values.as ?? process.env.USER ?? 'cli',
    role: (values.role as Actor['role'] | undefined) ?? defaultRole,
  });
  const page = (): PageRequest => {
    const size = values['page-size'] === undefined ? 50 : Number(values['page-size']);
    if (!Number.isInteger(size) || size < 1 || size > 200)
      throw new UsageError('--page-size: a whole number from 1 to 200');
    return { pageSize: size, ...(values['page-token'] ? { pageToken: values['page-token'] } : {}) };
  };
  const handle = () => {
    if (!id) throw new UsageError(`${command} needs an enrollment ID`);
    return client.workflow.getHandle(id);
  };
  const act = async <N extends ActionName>(name: N, raw: Record<string, unknown>) => {
    // Checked here with the workflow's own schema, so the update is sent typed; a bad value is
    // refused with the words the workflow would use.
    const parsed = ACTION_SCHEMAS[name].safeParse(raw);
    if (!parsed.success) throw new Refused(`invalid ${name}: ${describeIssues(parsed.error)}`);
    await workersReadOurKey();
    await untilReady(handle(), name, (line) => console.error(line));
    const result = await handle().executeUpdate(actions[name].update, { args: [parsed.data] });
    output(result, () => console.log(result.message));
  };

  try {
    switch (command) {
      case 'enroll': {
        await workersReadOurKey();
        const started = await startEnrollment(client, {
          taskQueue: config.CSP_TASK_QUEUE,
          // Parsed here for its type; a bad request is a usage error, as startEnrollment's would be.
          request: EnrollmentRequest.parse(readJson(id)),
        });
        output({ enrollmentId: started.workflowId }, () => console.log(started.workflowId));
        return EXIT.ok;
      }
      case 'status': {
        const status = await readEnrollmentStatus(handle());
        output(status, () => printStatus(status));
        return EXIT.ok;
      }
      case 'list': {
        const order = (values.order ?? 'recent') as ListOrder;
        if (!LIST_ORDERS.includes(order)) throw new UsageError(`--order: one of ${LIST_ORDERS.join(', ')}`);
        const registration = values['registration-number'];
        const found = await enrollmentsPage(
          client,
          {
            taskQueue: config.CSP_TASK_QUEUE,
            stage: values.stage,
            endState: values['end-state'],
            companyPrefix: values.company,
            mpnId: values['mpn-id'],
            enrollmentId: registration === undefined ? undefined : enrollmentIdFor(registration),
            decided: order === 'decided' || undefined,
          },
          order,
          page(),
        );
        output(found, () => printPage(found, (rows) => printSummaries(rows, 'no enrollments')));
        return EXIT.ok;
      }
      case 'reviews': {
        const found = await pendingReviewsPage(client, config.CSP_TASK_QUEUE, page());
        output(found, () => printPage(found, printReviews));
        return EXIT.ok;
      }
      case 'incidents': {
        const found = await enrollmentsPage(
          client,
          { taskQueue: config.CSP_TASK_QUEUE, incident: true, executionStatus: 'Running' },
          'stage-since',
          page(),
        );
        output(found, () => printPage(found, (rows) => printSummaries(rows, 'no open incidents')));
        return EXIT.ok;
      }
      case 'claim':
        await act('claimReview', { actor: actorFor('reviewer') });
        return EXIT.ok;
      case 'release':
        await act('releaseReview', { actor: actorFor('reviewer') });
        return EXIT.ok;
      case 'reassign': {
        if (!values.to) throw new UsageError('reassign needs --to <id>');
        const to = { id: values.to, role: (values['to-role'] ?? 'reviewer') as Actor['role'] };
        // Only to someone known in that role (the API's people: CSP_DIRECTORY, or its token table).
        const people = knownPeople();
        if (!people)
          throw new UsageError('reassign needs CSP_DIRECTORY (or CSP_API_TOKENS) to know who may review');
        if (!people.knows(to.id, to.role)) throw new Refused(`nobody known as ${to.role} ${to.id}`);
        await act('reassignReview', { actor: actorFor('review-lead'), to });
        return EXIT.ok;
      }
      case 'incident': {
        if (arg !== 'retry' && arg !== 'end')
          throw new UsageError('incident needs retry or end, and --reason');
        if (!values.reason) throw new UsageError('incident needs --reason (it is audited)');
        await act('resolveIncident', { actor: actorFor('operator'), action: arg, reason: values.reason });
        return EXIT.ok;
      }
      case 'extend-deadline': {
        if (!values.until || !values.reason)
          throw new UsageError('extend-deadline needs --until <ISO date-time> and --reason (it is audited)');
        await act('extendDeadline', {
          actor: actorFor('operator'),
          until: values.until,
          reason: values.reason,
        });
        return EXIT.ok;
      }
      case 'stuck': {
        const olderThan = values['older-than'];
        if (olderThan !== undefined && !DURATION_PATTERN.test(olderThan))
          throw new UsageError(`--older-than: not a duration like 7d or "36 hours": ${olderThan}`);
        const found = await findStuck(client, config.CSP_TASK_QUEUE, page(), { olderThan });
        output(found, () => printPage(found, printStuck));
        return EXIT.ok;
      }
      case 'failed': {
        // A failed run an operator retried (reset) has a newer run: it is history, not listed.
        const found = await latestRunsOnly(
          client,
          await enrollmentsPage(
            client,
            { taskQueue: config.CSP_TASK_QUEUE, endState: 'failed' },
            'recent',
            page(),
          ),
        );
        output(found, () => printPage(found, (rows) => printSummaries(rows, 'no failed enrollments')));
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
      case 'repair': {
        if (!id) throw new UsageError('repair needs an enrollment ID');
        const who = actorFor('operator');
        const repaired = await repairFailingRun(
          client,
          id,
          values.reason ?? `repair by ${who.role}:${who.id}`,
        );
        output({ enrollmentId: id, ...repaired }, () =>
          console.log(
            `${id}: reset to event ${repaired.resetToEventId} (new run ${repaired.runId}); ` +
              `its workflow task failed with: ${repaired.failure}`,
          ),
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
      case 'correct-account': {
        const domain = values['existing-domain'];
        const prefix = values['new-prefix'];
        if (domain && prefix) throw new UsageError('name an existing domain or a new prefix, not both');
        if (!domain && !prefix && !values.admin)
          throw new UsageError('correct-account needs --existing-domain, --new-prefix and/or --admin');
        await act('correctAccountDetails', {
          actor: actorFor('applicant'),
          ...(domain ? { workAccount: { kind: 'existing', domain } } : {}),
          ...(prefix ? { workAccount: { kind: 'new', domainPrefix: prefix } } : {}),
          ...(values.admin ? { globalAdmin: readJson(values.admin) } : {}),
        });
        return EXIT.ok;
      }
      case 'accept-agreement': {
        await untilReady(handle(), 'acceptAgreement', (line) => console.error(line));
        const status = await readEnrollmentStatus(handle());
        if (status.stage === 'agreement' && !agreementOffered(status))
          throw new Refused('the agreement offer is being prepared; try again in a moment');
        const { agreement } = status;
        const signerEmail = values['signer-email'] ?? status.globalAdmin?.email;
        if (!signerEmail) throw new UsageError('name the signer with --signer-email (the global admin)');
        if (!values.json)
          console.log(
            [
              `${agreement.name ?? AGREEMENT_NAME}, version ${agreement.version ?? '?'}`,
              `  text:   ${agreement.url ?? '?'}`,
              `  SHA-256 of the text: ${agreement.textDigest ?? '?'}`,
              `  signed by the global admin: ${signerEmail}`,
            ].join('\n'),
          );
        if (!values.yes && !(await confirm('Sign this agreement as the global admin? [y/N] ')))
          throw new Refused('not signed: confirm at the prompt, or pass --yes');
        await act('acceptAgreement', {
          actor: actorFor('applicant'),
          agreementVersion: agreement.version,
          textDigest: agreement.textDigest,
          signerEmail,
        });
        return EXIT.ok;
      }
      case 'resend-email': {
        if (!arg) throw new UsageError('resend-email needs the email key (see status: undelivered)');
        await act('resendNotification', { actor: actorFor('operator'), key: arg });
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
// The program's entry: every error above becomes an exit code, so nothing is left to await.
void run(process.argv.slice(2))
  .catch((err: unknown) => {
    if (err instanceof UsageError || err instanceof InvalidEnrollmentRequest)
      return fail(EXIT.usage, err.message, json);
    if (err instanceof ZodError) return fail(EXIT.usage, describeIssues(err), json);
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      return fail(EXIT.usage, `${err.message}\n${USAGE}`, json);
    }
    if (err instanceof WorkflowNotFoundError)
      return fail(EXIT.notFound, `no such enrollment: ${err.workflowId}`, json);
    if (err instanceof WorkflowUpdateFailedError) {
      // A step failed while we waited: nothing was used up; try again (not a refusal).
      if (err.cause instanceof ApplicationFailure && err.cause.type === STEP_FAILED)
        return fail(EXIT.error, `not done: ${err.cause.message}`, json);
      return fail(EXIT.refused, `refused: ${err.cause?.message}`, json);
    }
    if (err instanceof EnrollmentAlreadyRunning || err instanceof AlreadyEnrolled)
      return fail(EXIT.refused, err.message, json);
    if (err instanceof NothingToRetry || err instanceof NothingToRepair || err instanceof Refused)
      return fail(EXIT.refused, `refused: ${err.message}`, json);
    return fail(EXIT.error, err instanceof Error ? err.message : String(err), json);
  })
  .then((code) => process.exit(code));

/** The people reviews may be given to, as the API knows them; undefined when not configured here. */
function knownPeople(): Directory | undefined {
  const { CSP_DIRECTORY, CSP_API_TOKENS } = process.env;
  if (!CSP_DIRECTORY && !CSP_API_TOKENS) return undefined;
  return directory([
    ...parseDirectory(CSP_DIRECTORY),
    ...(CSP_API_TOKENS
      ? parseTokens(CSP_API_TOKENS)
          .entries()
          .map((entry) => entry.caller)
      : []),
  ]);
}
