/** The daily job the retention Schedule starts: deletes documents whose retention has passed. */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { isUnsealed, UNSEALED_FIELD } from '../codec/unsealed';
import type { RetentionActivities, RetentionInput, RetentionResult } from '../activities';

export const DOCUMENT_RETENTION_WORKFLOW = 'documentRetention';

const { purgeExpiredDocuments } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 10,
  },
  summary: 'Delete documents past their retention',
});

export async function documentRetention(input: RetentionInput): Promise<RetentionResult> {
  if (isUnsealed(input)) throw ApplicationFailure.nonRetryable(input[UNSEALED_FIELD], 'InvalidInput');
  return purgeExpiredDocuments(input);
}
