/**
 * Starting and finding enrollments through the Temporal client; the API, CLI and tests go
 * through here so the workflow ID, search attributes and summary are set the same way.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { describeIssues } from '../domain/actions';
import { EnrollmentRequest, enrollmentIdFor, type EnrollmentRequestInput } from '../domain/enrollment';
import { ENROLLMENT_WORKFLOW, searchAttributes } from '../workflows/definitions';
import type { enrollment } from '../workflows';

export class InvalidEnrollmentRequest extends Error {
  override readonly name = 'InvalidEnrollmentRequest';
}

/** The organization's enrollment completed: it is enrolled, and cannot enroll again. */
export class AlreadyEnrolled extends Error {
  override readonly name = 'AlreadyEnrolled';
  constructor(readonly enrollmentId: string) {
    super(`this organization is already enrolled in the 21Vianet CSP program (${enrollmentId})`);
  }
}

export class EnrollmentAlreadyRunning extends Error {
  override readonly name = 'EnrollmentAlreadyRunning';
  constructor(readonly enrollmentId: string) {
    super(`an enrollment of this organization is already running (${enrollmentId})`);
  }
}

export async function startEnrollment(
  client: Client,
  options: {
    taskQueue: string;
    request: EnrollmentRequestInput;
    /** The owner's opaque ID for the CspOwner search attribute (./owner-ids); the subject never is. */
    ownerId?: string;
  },
) {
  const parsed = EnrollmentRequest.safeParse(options.request);
  if (!parsed.success) throw new InvalidEnrollmentRequest(describeIssues(parsed.error));
  const request = parsed.data;
  const workflowId = enrollmentIdFor(request.organization.registrationNumber);
  await refuseIfEnrolled(client, workflowId);
  try {
    return await client.workflow.start<typeof enrollment>(ENROLLMENT_WORKFLOW, {
      taskQueue: options.taskQueue,
      workflowId,
      args: [request],
      // A refused, expired, withdrawn or failed enrollment may start again (as a new attempt, with
      // its own side effects); a running one may not, nor a completed one (refuseIfEnrolled).
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: searchAttributes.stage, value: 'account-setup' },
        { key: searchAttributes.stageSince, value: new Date() },
        { key: searchAttributes.company, value: request.organization.name },
        ...(options.ownerId ? [{ key: searchAttributes.owner, value: options.ownerId }] : []),
      ],
      staticSummary: `CSP enrollment of ${request.organization.name}`,
      staticDetails: `Registration number ${request.organization.registrationNumber}; locale ${request.locale}`,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new EnrollmentAlreadyRunning(workflowId);
    throw error;
  }
}

/** The latest run of the organization's enrollment, if it ended completed, refuses a new one. */
async function refuseIfEnrolled(client: Client, workflowId: string): Promise<void> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return;
    throw error;
  }
  if (description.typedSearchAttributes.get(searchAttributes.endState) === 'completed')
    throw new AlreadyEnrolled(workflowId);
}
