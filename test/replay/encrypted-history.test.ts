/**
 * A history as Temporal stored it, every payload sealed by the codec before the version byte
 * (recorded in commit 95248e2 with the test key kept next to it; not to be recorded again: today's
 * codec writes version 1). Today's worker must still open all of it and replay the run.
 */
import type { Payload } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { workerDataConverter } from '../../src/codec/data-converter';
import { EncryptionCodec, KEY_ID_METADATA } from '../../src/codec/encryption-codec';
import { parseKeyRing } from '../../src/codec/key-ring';
import { isUnsealed } from '../../src/codec/unsealed';
import { newKey } from '../harness/keys';
import { workflowBundlePath } from '../harness/temporal';

const fixture = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'encrypted-histories', 'legacy-happy-path.json'), 'utf8'),
) as { keys: string; workflowId: string; history: unknown };
const history = historyFromJSON(fixture.history);
/** The fixture's key under the name its payloads carry, beside today's current key. */
const keyRing = parseKeyRing(`${fixture.keys},${newKey()}`, 'legacy-fixture');

/** Every payload of the history but search attributes and patch markers (Temporal reads those). */
function payloadsOf(node: unknown, found: Payload[] = []): Payload[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return found;
  const value = node as { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
  if (value.metadata?.encoding) return [...found, value as Payload];
  for (const [key, child] of Object.entries(node))
    if (key !== 'searchAttributes' && key !== 'patch-data') found = payloadsOf(child, found);
  return found;
}

test('every payload of the recorded history opens with the key under its old name', async () => {
  const payloads = payloadsOf(temporal.api.history.v1.History.toObject(history as never));
  expect(payloads.length).toBeGreaterThan(40);
  const names = new Set(payloads.map((p) => Buffer.from(p.metadata![KEY_ID_METADATA]!).toString()));
  expect(names).toEqual(new Set(['legacy-fixture']));
  const opened = await new EncryptionCodec(keyRing, { unsealed: 'refuse' }).decode(payloads);
  const refused = opened.filter((p) =>
    isUnsealed(JSON.parse(Buffer.from(p.data ?? []).toString() || 'null')),
  );
  expect(refused).toHaveLength(0);
  const start = JSON.parse(Buffer.from(opened[0].data!).toString());
  expect(start.globalAdmin.email).toBe('wei.zhang@yunfan.example.cn');
});

test('the current workflow code replays it through the worker’s data converter', async () => {
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: workflowBundlePath() }, dataConverter: workerDataConverter(keyRing) },
      history,
      fixture.workflowId,
    ),
  ).resolves.toBeUndefined();
});

test('without that key the replay fails, naming the key', async () => {
  const without = parseKeyRing(newKey());
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: workflowBundlePath() }, dataConverter: workerDataConverter(without) },
      history,
      fixture.workflowId,
    ),
  ).rejects.toThrow(/legacy-fixture/);
});
