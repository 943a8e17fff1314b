/**
 * The data converter every client and worker of the service uses: payloads encrypted, and failure
 * messages moved into (encrypted) payloads too, since they may quote what they failed on.
 */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import type { KeyRing } from './key-ring';

export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function encryptedDataConverter(keyRing: KeyRing): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keyRing)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
