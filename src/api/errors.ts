/**
 * Every error the API answers with, as `{ error: { code, message, fields? } }`, and the mapping
 * from Temporal's and the client's errors to HTTP statuses. Bad input is a 4xx, never a 500.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AlreadyEnrolled, EnrollmentAlreadyRunning, InvalidEnrollmentRequest } from '../client/enrollments';
import { STEP_FAILED } from '../workflows/definitions';
import { InvalidPageToken } from '../client/visibility';
import { PayloadKeyMismatch } from '../codec/worker-keys';
import { ApiError, fromFastify } from '../http/errors';
import { DocumentMissing, DocumentRefused, DocumentTampered } from '../integrations/documents/vault';
import { temporalUnavailable, unavailable } from './unavailable';

const DOCUMENT_REFUSED_STATUS: Record<DocumentRefused['reason'], number> = {
  empty: 400,
  'too-large': 413,
  type: 415,
};

export { ApiError, ErrorBody, sendError, type ErrorCode } from '../http/errors';

/** Maps any thrown value to an ApiError; unknown errors become a 500 without their details. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowUpdateFailedError) {
    // A step that failed while the caller waited used nothing up: try again (503), unlike a refusal.
    if (error.cause instanceof ApplicationFailure && error.cause.type === STEP_FAILED)
      return unavailable(error.cause.message);
    return new ApiError(409, 'refused', error.cause?.message ?? error.message);
  }
  if (error instanceof WorkflowNotFoundError) return new ApiError(404, 'not-found', 'no such enrollment');
  if (error instanceof EnrollmentAlreadyRunning) return new ApiError(409, 'already-running', error.message);
  if (error instanceof AlreadyEnrolled) return new ApiError(409, 'already-enrolled', error.message);
  if (error instanceof InvalidPageToken) return new ApiError(400, 'invalid-input', error.message);
  if (error instanceof InvalidEnrollmentRequest) return new ApiError(400, 'invalid-input', error.message);
  if (error instanceof PayloadKeyMismatch) return new ApiError(503, 'unavailable', error.message);
  if (error instanceof DocumentRefused)
    return new ApiError(DOCUMENT_REFUSED_STATUS[error.reason], 'invalid-input', error.message);
  if (error instanceof DocumentMissing) return new ApiError(410, 'not-found', error.message);
  // The stored bytes are not what was uploaded: a fault of the store, reported (by class) as a 500.
  if (error instanceof DocumentTampered)
    return new ApiError(500, 'internal', 'the stored document does not match what was uploaded');
  return temporalUnavailable(error) ?? fromFastify(error) ?? new ApiError(500, 'internal', 'internal error');
}
