/**
 * Key rotation: a new payload key becomes current while enrollments are running. Histories
 * written with the old key still decode, the enrollment completes, and new payloads use the new key.
 */
import { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { EncryptionCodec, KEY_ID_METADATA } from '../../src/codec/encryption-codec';
import { keyFingerprint, keyRingSpec, parseKeyRing } from '../../src/codec/key-ring';
import { statusQuery } from '../../src/workflows/definitions';
import { enrollmentRequest, reviewer } from '../fixtures';
import { acceptOffer, approve, start, submitApplication, waitForReview } from '../harness/driver';
import { TEST_KEY_RING, newKey } from '../harness/keys';
import { startServiceStack, type ServiceStack } from '../harness/stack';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack('key-rotation');
});
afterAll(() => stack?.close());

test('histories written with the old key still decode after a new key becomes current', async () => {
  const added = newKey();
  const rotated = parseKeyRing(
    `${keyRingSpec(TEST_KEY_RING)},${added}`,
    keyFingerprint(Buffer.from(added, 'base64')),
  );

  const handle = await start(
    stack.temporal.client,
    stack.taskQueue,
    enrollmentRequest({
      policy: { phoneVerification: { required: false }, provisioning: { pollEvery: '200 ms' } },
    }),
  );
  await submitApplication(handle);
  await waitForReview(handle);

  // Deploy the rotation: workers and clients now seal with the new key and keep the old one to open.
  await stack.replaceWorker(rotated);
  const client = new Client({
    connection: stack.temporal.client.connection,
    dataConverter: encryptedDataConverter(rotated),
  });
  const rotatedHandle = client.workflow.getHandle(handle.workflowId);
  await approve(rotatedHandle, reviewer);
  await acceptOffer(rotatedHandle);
  await expect(rotatedHandle.result()).resolves.toEqual({ endState: 'completed' });
  expect((await rotatedHandle.query(statusQuery)).stage).toBe('ended');

  // The history holds payloads under both keys, and the rotated key ring decodes all of them.
  const history = await rotatedHandle.fetchHistory();
  const payloads = collectPayloads(temporal.api.history.v1.History.toObject(history as never) as never);
  const unencrypted = payloads
    .filter((p) => !p.metadata?.[KEY_ID_METADATA])
    .map((p) => `${(p as { path?: string }).path}: ${Buffer.from(p.metadata!.encoding!).toString()}`);
  expect(unencrypted).toEqual([]);
  const keyIds = new Set(payloads.map((p) => Buffer.from(p.metadata![KEY_ID_METADATA]!).toString()));
  expect(keyIds).toEqual(new Set([TEST_KEY_RING.currentKeyId, rotated.currentKeyId]));
  await expect(new EncryptionCodec(rotated).decode(payloads)).resolves.toHaveLength(payloads.length);

  // Retiring the old key too early would make those histories unreadable, with a clear message.
  const tooEarly = new EncryptionCodec(parseKeyRing(added));
  await expect(tooEarly.decode(payloads)).rejects.toThrow(
    `sealed with payload key ${TEST_KEY_RING.currentKeyId}, which this process does not hold`,
  );
});

type RawPayload = temporal.api.common.v1.IPayload;

/**
 * Every payload in a history (inputs, results, signals, updates, failures) but search attributes
 * and patch markers, which Temporal must read and which carry no personal data (a patch marker
 * holds only the patch's ID).
 */
function collectPayloads(node: unknown, found: RawPayload[] = [], at = ''): RawPayload[] {
  if (!node || typeof node !== 'object') return found;
  if (node instanceof Uint8Array) return found;
  const value = node as { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
  if (value.metadata && value.metadata.encoding) {
    found.push(Object.assign(value as RawPayload, { path: at }));
    return found;
  }
  for (const [key, child] of Object.entries(node))
    if (key !== 'searchAttributes' && key !== 'patch-data') collectPayloads(child, found, `${at}.${key}`);
  return found;
}
