/**
 * The documents' retention: what an ended enrollment attempt stored is deleted once the policy's
 * time has passed since it ended. Run daily by a Temporal Schedule (src/worker/retention-schedule);
 * safe to run again at any time (deleting twice is a no-op).
 */
import { Context } from '@temporalio/activity';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { optionalTsToMs, tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { durationMs } from '../domain/enrollment';
import { parseDocumentKey, type DocumentStore } from '../integrations/documents/store';

export interface RetentionDependencies {
  store: DocumentStore;
  /** Reads when an enrollment ended (describe, undecoded; no workflow code runs). */
  client: Client;
}

export interface RetentionInput {
  /** How long after its enrollment ended a document is kept, e.g. "90d". */
  retention: string;
}

export interface RetentionResult {
  attemptsChecked: number;
  documentsDeleted: number;
  /** Attempts still running or within their retention. */
  attemptsKept: number;
}

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
/** gRPC's status code NOT_FOUND. */
const GRPC_NOT_FOUND = 5;

export function createRetentionActivities({ store, client }: RetentionDependencies) {
  /** When the attempt ended, or undefined while it runs. */
  async function endedAt(enrollmentId: string, attemptId: string): Promise<number | undefined> {
    let info;
    try {
      // Raw: its memo may be sealed with a payload key this worker no longer holds, and only
      // the run's times and status matter here.
      const described = await client.workflowService.describeWorkflowExecution({
        namespace: client.options.namespace,
        execution: { workflowId: enrollmentId },
      });
      info = described.workflowExecutionInfo;
    } catch (error) {
      // Temporal dropped it: it ended longer ago than the namespace keeps histories.
      if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) return 0;
      throw error;
    }
    // Attempts before attempt IDs stored under the enrollment's ID: the latest run is theirs.
    const sameAttempt = info?.firstRunId === attemptId || attemptId === enrollmentId;
    if (sameAttempt)
      return info?.status === RUNNING ? undefined : (optionalTsToMs(info?.closeTime) ?? Date.now());
    // A newer attempt started after this one ended: its start is a late bound of the end.
    return tsToMs(info?.startTime);
  }

  return {
    async purgeExpiredDocuments({ retention }: RetentionInput): Promise<RetentionResult> {
      const keep = durationMs(retention);
      const attempts = new Map<string, string[]>();
      for await (const key of store.list('')) {
        const parts = parseDocumentKey(key);
        if (!parts) continue;
        const attempt = `${parts.enrollmentId}/${parts.attemptId}`;
        attempts.set(attempt, [...(attempts.get(attempt) ?? []), key]);
      }
      const result: RetentionResult = { attemptsChecked: 0, documentsDeleted: 0, attemptsKept: 0 };
      for (const [attempt, keys] of attempts) {
        Context.current().heartbeat(attempt);
        result.attemptsChecked += 1;
        const [enrollmentId, attemptId] = attempt.split('/') as [string, string];
        const ended = await endedAt(enrollmentId, attemptId);
        if (ended === undefined || ended + keep > Date.now()) {
          result.attemptsKept += 1;
          continue;
        }
        for (const key of keys) await store.delete(key);
        result.documentsDeleted += keys.length;
        Context.current().log.info('documents deleted after retention', {
          enrollmentId,
          documents: keys.length,
        });
      }
      return result;
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
