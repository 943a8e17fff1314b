/** How suites reach the servers that global-setup prepared. */
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { registerSearchAttributes } from '../../src/client/search-attributes';
import { encryptedDataConverter } from '../../src/codec/data-converter';
import { clientConnectionOptions, serviceClient } from '../../src/config/temporal';
import { TEST_KEY_RING } from './keys';
import type { ServerExecutable } from '../../src/tooling/temporal-tools';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's global setup (npm test)`);
  return value;
}

export const workflowBundlePath = () => required('CSP_TEST_WORKFLOW_BUNDLE');

/** A fresh time-skipping test server (the Java one), for workflow suites. */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const executable = JSON.parse(required('CSP_TEST_SERVER_EXECUTABLE')) as ServerExecutable;
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

export interface DevServer {
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}

/** Connections to the dev server shared by the whole run, for integration suites. */
export async function connectDevServer(): Promise<DevServer> {
  const address = required('CSP_TEST_TEMPORAL_ADDRESS');
  // As the service connects (its answer limit): lists of rows with large memos pass 4 MB.
  const connection = await Connection.connect(clientConnectionOptions({ address }));
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    address,
    client: serviceClient(connection, 'default', encryptedDataConverter(TEST_KEY_RING)),
    nativeConnection,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/** Each suite gets its own task queue so workers of different suites never share work. */
export const uniqueTaskQueue = (suite: string) => `${suite}-${randomUUID()}`;
