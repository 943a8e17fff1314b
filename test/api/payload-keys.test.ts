/**
 * The API seals what it sends to the workers: it refuses to start when no worker holds its current
 * payload key, and, when it could not tell at start-up, answers 503 naming the key to set instead
 * of starting an enrollment the workers cannot open.
 */
import { loadApiConfig } from '../../src/api/config';
import { buildApiServer } from '../../src/api/server';
import { startApi } from '../../src/api/start';
import { tokenTable } from '../../src/api/tokens';
import { ownerIds } from '../../src/client/owner-ids';
import { auditLogFrom } from '../../src/integrations/audit/from-config';
import { keyRingSpec, parseKeyRing } from '../../src/codec/key-ring';
import { workerKeyGuard } from '../../src/codec/worker-keys';
import { startBody } from '../harness/api-stack';
import { newKey, TEST_KEY_RING } from '../harness/keys';
import { startServiceStack, type ServiceStack } from '../harness/stack';
import { quietLog } from '../harness/logs';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack('api-payload-keys');
});
afterAll(() => stack?.close());

const config = loadApiConfig({
  CSP_API_PORT: '0',
  CSP_API_TOKENS: 'applicant-token-0123456789=applicant:wei.zhang',
});

test('an API whose key no worker holds does not start, and says which key to set', async () => {
  const both = parseKeyRing(`${newKey()},${keyRingSpec(TEST_KEY_RING)}`);
  await expect(
    startApi({
      client: stack.temporal.client,
      taskQueue: stack.taskQueue,
      config,
      keyRing: both,
      auditLog: auditLogFrom(stack.config),
      log: quietLog(),
    }),
  ).rejects.toThrow(`set CSP_PAYLOAD_KEY_ID=${TEST_KEY_RING.currentKeyId}`);
  const api = await startApi({
    client: stack.temporal.client,
    taskQueue: stack.taskQueue,
    config,
    keyRing: TEST_KEY_RING,
    auditLog: auditLogFrom(stack.config),
    log: quietLog(),
  });
  await api.close();
});

test('a start the workers could not open is a 503 that starts nothing', async () => {
  const stranger = parseKeyRing(newKey());
  const app = buildApiServer({
    client: stack.temporal.client,
    taskQueue: stack.taskQueue,
    tokens: tokenTable([
      { token: 'applicant-token-0123456789', caller: { id: 'wei.zhang', role: 'applicant' } },
    ]),
    ownerIds: ownerIds(stranger),
    workersReadOurKey: workerKeyGuard(stack.temporal.client, stack.taskQueue, stranger),
    log: quietLog(),
  });
  try {
    const body = startBody();
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const answer = await fetch(`${url}/enrollments`, {
      method: 'POST',
      headers: { Authorization: 'Bearer applicant-token-0123456789', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      error: {
        code: 'unavailable',
        message: expect.stringContaining(`seals payloads with key ${stranger.currentKeyId}`),
      },
    });
    await expect(
      stack.temporal.client.workflow
        .getHandle(`enrollment-${body.organization.registrationNumber}`)
        .describe(),
    ).rejects.toThrow();
  } finally {
    await app.close();
  }
});
