/**
 * The data converters of the service: payloads sealed, and failure messages moved into (sealed)
 * payloads too, since they may quote what they failed on. Clients pass unsealed payloads through;
 * workers refuse them (see encryption-codec.ts), so only holders of a key act on enrollments.
 */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import type { KeyRing } from './key-ring';

export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** For clients: the API, the CLI, tests. */
export function encryptedDataConverter(keyRing: KeyRing): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyRing, { unsealed: 'pass' })],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/** For workers: what is not sealed with a key of the service reaches the workflow as a refusal. */
export function workerDataConverter(keyRing: KeyRing): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyRing, { unsealed: 'refuse' })],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
