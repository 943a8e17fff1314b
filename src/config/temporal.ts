/**
 * How this service reaches Temporal: Temporal's standard settings (TEMPORAL_* variables and the
 * profiles of a Temporal config file) through @temporalio/envconfig, defaulting to the local dev server.
 */
import { Client, Connection, type ConnectionLike, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import { carryRequestId } from '../client/request-ids';
import { TEMPORAL_SETTING_NAMES, type Config } from './index';

export interface TemporalSettings {
  connectionOptions: NativeConnectionOptions;
  namespace: string;
}

/** `defaultAddress`: where to look when neither TEMPORAL_ADDRESS nor a profile names a server. */
export function temporalSettings(config: Config, defaultAddress = '127.0.0.1:7233'): TemporalSettings {
  // The validated configuration is the only source: envconfig sees exactly its TEMPORAL_* values.
  const env: Record<string, string> = {};
  for (const name of TEMPORAL_SETTING_NAMES) {
    const value = config[name as keyof Config];
    if (typeof value === 'string' && value) env[name] = value;
  }
  const loaded = loadClientConnectConfig({
    overrideEnvVars: env,
    configSource: env.TEMPORAL_CONFIG_FILE ? { path: env.TEMPORAL_CONFIG_FILE } : undefined,
    profile: env.TEMPORAL_PROFILE,
  });
  return {
    connectionOptions: {
      ...loaded.connectionOptions,
      address: loaded.connectionOptions.address ?? defaultAddress,
    },
    namespace: loaded.namespace ?? 'default',
  };
}

export function connectWorker(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(settings.connectionOptions);
}

/**
 * The largest answer a client accepts. The SDK means 128 MB but sets it under a key grpc-js does
 * not read (`max_receive_message_length`), which leaves grpc-js's 4 MB: a list call of 100 rows
 * whose memos hold long audit trails passes that.
 */
const MAX_ANSWER_BYTES = 128 * 1024 * 1024;

/** What a client connection takes from the settings (the worker's native connection takes them all). */
export function clientConnectionOptions(
  options: Pick<ConnectionOptions, 'address' | 'tls' | 'apiKey' | 'metadata'>,
): ConnectionOptions {
  const { address, tls, apiKey, metadata } = options;
  return {
    address,
    tls,
    apiKey,
    metadata,
    channelArgs: { 'grpc.max_receive_message_length': MAX_ANSWER_BYTES },
  };
}

/** A client of the service: Temporal settings plus the encrypting data converter. */
export async function connectClient(
  settings: TemporalSettings,
  dataConverter: DataConverter,
): Promise<Client> {
  const connection = await Connection.connect(clientConnectionOptions(settings.connectionOptions));
  return serviceClient(connection, settings.namespace, dataConverter);
}

/**
 * A client of the service on an open connection (a client's, or a worker's own native one): what
 * it asks while the API handles a request carries that request's ID (src/client/request-ids.ts).
 */
export function serviceClient(
  connection: ConnectionLike,
  namespace: string | undefined,
  dataConverter: DataConverter,
): Client {
  return new Client({ connection, namespace, dataConverter, interceptors: { workflow: [carryRequestId] } });
}
