/**
 * What one finished workflow cost the engine, read from the server: its history events, state
 * transitions, history size, the bytes of its payloads (encrypted), and the Temporal Cloud
 * actions its history shows. Actions that leave no event (queries, heartbeats, rejected updates)
 * are counted by the server's `action` metric instead (server-actions.ts, production engine).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface HistoryFigures {
  events: number;
  stateTransitions: number;
  historyBytes: number;
  payloadBytes: number;
  /** Billable actions visible in the history, by kind (Temporal Cloud's rules, docs/capacity.md). */
  actions: Record<string, number>;
}

const EventType = temporal.api.enums.v1.EventType;

/** Sums the data of every payload anywhere in an event (inputs, results, failures, headers…). */
function payloadBytes(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  if (node instanceof Uint8Array) return 0;
  const record = node as Record<string, unknown>;
  if (record.data instanceof Uint8Array && 'metadata' in record) return record.data.length;
  return Object.values(record).reduce<number>((sum, value) => sum + payloadBytes(value), 0);
}

function historyActions(events: temporal.api.history.v1.IHistoryEvent[]): Record<string, number> {
  const actions: Record<string, number> = {};
  const add = (kind: string, n = 1) => (actions[kind] = (actions[kind] ?? 0) + n);
  const markerTasks = new Set<string>();
  for (const event of events) {
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        add('workflow started');
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add('activity started');
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        // Retries leave no event of their own: the started event carries the last attempt.
        add('activity retried', Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1));
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED:
        add('timer started');
        break;
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        add('search attributes upserted');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        add('signal');
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('update');
        break;
      case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add('child workflow', 2);
        break;
      case EventType.EVENT_TYPE_MARKER_RECORDED:
        // Markers (patches, local activities) of one workflow task count once together.
        markerTasks.add(String(event.markerRecordedEventAttributes?.workflowTaskCompletedEventId));
        break;
      default:
        break;
    }
  }
  if (markerTasks.size) add('markers', markerTasks.size);
  return actions;
}

export async function historyFigures(handle: WorkflowHandle): Promise<HistoryFigures> {
  const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const events = history.events ?? [];
  const info = description.raw.workflowExecutionInfo;
  return {
    events: events.length,
    stateTransitions: Number(info?.stateTransitionCount ?? 0),
    historyBytes: Number(info?.historySizeBytes ?? 0),
    payloadBytes: events.reduce((sum, event) => sum + payloadBytes(event), 0),
    actions: historyActions(events),
  };
}
