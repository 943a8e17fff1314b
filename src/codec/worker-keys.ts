/**
 * Which payload keys the workers read, so a client finds out before it starts anything that the
 * workers could not open what it seals. Workers name their key fingerprints in their identity
 * (not secret: a fingerprint reveals nothing of the key); clients read the task queue's pollers.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import os from 'node:os';
import type { KeyRing } from './key-ring';

const KEYS_PART = /(?:^|\s)payload-keys=([^\s]+)/;

/** The worker's identity: the SDK's default (`pid@host`) and the fingerprints of its keys. */
export function workerIdentity(keyRing: KeyRing): string {
  return `${process.pid}@${os.hostname()} payload-keys=${[...keyRing.keys.keys()].join(',')}`;
}

/** The key fingerprints a worker identity names; undefined for workers that name none. */
export function advertisedKeys(identity: string): string[] | undefined {
  return KEYS_PART.exec(identity)?.[1].split(',').filter(Boolean);
}

export type WorkerKeyCheck =
  | { outcome: 'ok' }
  /** No worker (that names its keys) polls the task queue now: nothing to compare with. */
  | { outcome: 'unknown' }
  | { outcome: 'mismatch'; message: string; workerKeys: string[] };

export async function checkWorkersReadKey(
  client: Client,
  taskQueue: string,
  keyRing: KeyRing,
): Promise<WorkerKeyCheck> {
  const workerKeys = new Set<string>();
  for (const taskQueueType of [
    temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  ]) {
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType,
    });
    for (const poller of pollers ?? [])
      for (const id of advertisedKeys(poller.identity ?? '') ?? []) workerKeys.add(id);
  }
  if (workerKeys.size === 0) return { outcome: 'unknown' };
  if (workerKeys.has(keyRing.currentKeyId)) return { outcome: 'ok' };
  const theirs = [...workerKeys];
  const shared = theirs.find((id) => keyRing.keys.has(id));
  const advice = shared
    ? `set CSP_PAYLOAD_KEY_ID=${shared}`
    : `set CSP_PAYLOAD_KEYS to a key they hold (${theirs.join(', ')}) and CSP_PAYLOAD_KEY_ID to it, or give the workers key ${keyRing.currentKeyId}`;
  return {
    outcome: 'mismatch',
    workerKeys: theirs,
    message:
      `this process seals payloads with key ${keyRing.currentKeyId}, which no worker on task queue ` +
      `${taskQueue} holds (they hold ${theirs.join(', ')}): ${advice}`,
  };
}

export class PayloadKeyMismatch extends Error {
  override readonly name = 'PayloadKeyMismatch';
}

/**
 * For clients that send payloads: resolves when the workers read this process's current key (or
 * none are polling to say), throws PayloadKeyMismatch when they do not. A match is remembered.
 */
export function workerKeyGuard(client: Client, taskQueue: string, keyRing: KeyRing): () => Promise<void> {
  let matched = false;
  return async () => {
    if (matched) return;
    const check = await checkWorkersReadKey(client, taskQueue, keyRing);
    if (check.outcome === 'mismatch') throw new PayloadKeyMismatch(check.message);
    matched = check.outcome === 'ok';
  };
}
