/**
 * Starting and finding enrollments through the Temporal client; the API, CLI and tests go
 * through here so the workflow ID, search attributes and summary are set the same way.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { describeIssues } from '../domain/actions';
import { EnrollmentRequest, enrollmentIdFor, type EnrollmentRequestInput } from '../domain/enrollment';
import { ENROLLMENT_WORKFLOW, searchAttributes } from '../workflows/definitions';
import type { enrollment } from '../workflows';

export class InvalidEnrollmentRequest extends Error {
  override readonly name = 'InvalidEnrollmentRequest';
}

export class EnrollmentAlreadyRunning extends Error {
  override readonly name = 'EnrollmentAlreadyRunning';
  constructor(readonly enrollmentId: string) {
    super(`an enrollment of this organization is already running (${enrollmentId})`);
  }
}

export async function startEnrollment(
  client: Client,
  options: { taskQueue: string; request: EnrollmentRequestInput },
) {
  const parsed = EnrollmentRequest.safeParse(options.request);
  if (!parsed.success) throw new InvalidEnrollmentRequest(describeIssues(parsed.error));
  const request = parsed.data;
  const workflowId = enrollmentIdFor(request.organization.registrationNumber);
  try {
    return await client.workflow.start<typeof enrollment>(ENROLLMENT_WORKFLOW, {
      taskQueue: options.taskQueue,
      workflowId,
      args: [request],
      // A refused, expired or withdrawn enrollment may start again; a running one may not.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      typedSearchAttributes: [
        { key: searchAttributes.stage, value: 'account-setup' },
        { key: searchAttributes.company, value: request.organization.name },
        ...(request.owner ? [{ key: searchAttributes.owner, value: request.owner }] : []),
      ],
      staticSummary: `CSP enrollment of ${request.organization.name}`,
      staticDetails: `Registration number ${request.organization.registrationNumber}; locale ${request.locale}`,
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) throw new EnrollmentAlreadyRunning(workflowId);
    throw error;
  }
}
