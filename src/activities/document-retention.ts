/**
 * The retention of what an ended enrollment left behind: the documents an attempt stored, and the
 * enrollment's sent-mail log (src/integrations/mail/sent-once.ts), are deleted once the policy's
 * time has passed since it ended. Run daily by a Temporal Schedule (src/worker/retention-schedule);
 * safe to run again at any time (deleting twice is a no-op).
 */
import { Context } from '@temporalio/activity';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { optionalTsToMs, tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { durationMs } from '../domain/enrollment';
import { parseDocumentKey, type DocumentStore } from '../integrations/documents/store';
import type { SentLog } from '../integrations/mail/sent-once';

export interface RetentionDependencies {
  store: DocumentStore;
  /** Reads when an enrollment ended (describe, undecoded; no workflow code runs). */
  client: Client;
  /** The Message-IDs sent, where this worker keeps them; none on workers that send no email. */
  sentLog?: SentLog;
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
  /** Sent-mail logs of enrollments ended longer ago than the retention. */
  sentMailLogsDeleted: number;
}

const RUNNING = temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
/** gRPC's status code NOT_FOUND. */
const GRPC_NOT_FOUND = 5;

type LatestRun = temporal.api.workflow.v1.IWorkflowExecutionInfo | undefined;
/** The enrollment's latest run, described once per run of the job. */
type LatestRuns = (enrollmentId: string) => Promise<LatestRun>;

export function createRetentionActivities({ store, client, sentLog }: RetentionDependencies) {
  /** The enrollment's latest run, or undefined when Temporal no longer has it. */
  async function latestRun(enrollmentId: string): Promise<LatestRun> {
    try {
      // Raw: its memo may be sealed with a payload key this worker no longer holds, and only
      // the run's times and status matter here.
      const described = await client.workflowService.describeWorkflowExecution({
        namespace: client.options.namespace,
        execution: { workflowId: enrollmentId },
      });
      return described.workflowExecutionInfo ?? undefined;
    } catch (error) {
      if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) return undefined;
      throw error;
    }
  }

  /**
   * When the attempt ended (any attempt's when `attemptId` is left out: the latest), or undefined
   * while it runs; 0 when Temporal dropped it (it ended longer ago than the namespace keeps
   * histories).
   */
  async function endedAt(
    runs: LatestRuns,
    enrollmentId: string,
    attemptId?: string,
  ): Promise<number | undefined> {
    const info = await runs(enrollmentId);
    if (!info) return 0;
    // Attempts before attempt IDs stored under the enrollment's ID: the latest run is theirs.
    const sameAttempt =
      attemptId === undefined || info.firstRunId === attemptId || attemptId === enrollmentId;
    if (sameAttempt)
      return info.status === RUNNING ? undefined : (optionalTsToMs(info.closeTime) ?? Date.now());
    // A newer attempt started after this one ended: its start is a late bound of the end.
    return tsToMs(info.startTime);
  }

  const expired = (ended: number | undefined, keep: number) =>
    ended !== undefined && ended + keep <= Date.now();

  /** A sent-mail log is needed while its enrollment runs: a retried send must find its line. */
  async function purgeSentMailLogs(runs: LatestRuns, keep: number): Promise<number> {
    if (!sentLog) return 0;
    let deleted = 0;
    for (const enrollmentId of await sentLog.enrollments()) {
      Context.current().heartbeat(enrollmentId);
      if (!expired(await endedAt(runs, enrollmentId), keep)) continue;
      await sentLog.remove(enrollmentId);
      deleted += 1;
    }
    return deleted;
  }

  return {
    async purgeExpiredDocuments({ retention }: RetentionInput): Promise<RetentionResult> {
      const keep = durationMs(retention);
      // One describe per enrollment and run of the job: its documents and its sent-mail log ask alike.
      const described = new Map<string, ReturnType<typeof latestRun>>();
      const runs: LatestRuns = (enrollmentId) => {
        if (!described.has(enrollmentId)) described.set(enrollmentId, latestRun(enrollmentId));
        return described.get(enrollmentId)!;
      };
      const attempts = new Map<string, string[]>();
      for await (const key of store.list('')) {
        const parts = parseDocumentKey(key);
        if (!parts) continue;
        const attempt = `${parts.enrollmentId}/${parts.attemptId}`;
        attempts.set(attempt, [...(attempts.get(attempt) ?? []), key]);
      }
      const result: RetentionResult = {
        attemptsChecked: 0,
        documentsDeleted: 0,
        attemptsKept: 0,
        sentMailLogsDeleted: 0,
      };
      for (const [attempt, keys] of attempts) {
        Context.current().heartbeat(attempt);
        result.attemptsChecked += 1;
        const [enrollmentId, attemptId] = attempt.split('/') as [string, string];
        if (!expired(await endedAt(runs, enrollmentId, attemptId), keep)) {
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
      result.sentMailLogsDeleted = await purgeSentMailLogs(runs, keep);
      if (result.sentMailLogsDeleted)
        Context.current().log.info('sent-mail logs deleted after retention', {
          logs: result.sentMailLogsDeleted,
        });
      return result;
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
