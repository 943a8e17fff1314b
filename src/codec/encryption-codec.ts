/**
 * A PayloadCodec that seals every payload with AES-256-GCM (src/codec/sealing.ts) before it reaches
 * Temporal, so applicants' personal data never sits readable in workflow histories. Used by every
 * client and worker, and by the codec server that lets an operator's Temporal UI show payloads.
 *
 * Opening differs by who asks. A worker refuses what is not sealed with a key of the service, so
 * a client without the keys cannot act on an enrollment; clients and the codec server pass
 * unsealed payloads through (search attributes, details typed into Temporal's own tools).
 */
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { isFingerprint, type KeyRing } from './key-ring';
import { open, openLegacy, seal, SealBroken } from './sealing';
import { UNSEALED_FIELD, unsealedReason } from './unsealed';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

/** A payload sealed with a key this process does not hold: retried once the key is deployed. */
export class PayloadKeyUnavailable extends Error {
  override readonly name = 'PayloadKeyUnavailable';
  constructor(
    readonly keyId: string,
    held: Iterable<string>,
  ) {
    super(
      `a payload is sealed with payload key ${keyId || '(none named)'}, which this process does not hold ` +
        `(it holds ${[...held].join(', ')}): add that key to CSP_PAYLOAD_KEYS`,
    );
  }
}

export interface EncryptionCodecOptions {
  /**
   * `refuse` (workers): a payload that is not sealed, or whose seal is broken, opens as a refusal
   * (src/codec/unsealed.ts). `pass` (clients, codec server): unsealed payloads pass as they are,
   * a broken seal is an error.
   */
  unsealed: 'refuse' | 'pass';
}

const text = (value: string) => new TextEncoder().encode(value);
const asText = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString() : '');

function refusal(why: string): Payload {
  return {
    metadata: { [METADATA_ENCODING_KEY]: text('json/plain') },
    data: text(JSON.stringify({ [UNSEALED_FIELD]: unsealedReason(why) })),
  };
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly keyRing: KeyRing,
    private readonly options: EncryptionCodecOptions = { unsealed: 'pass' },
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { currentKeyId, keys } = this.keyRing;
    const key = keys.get(currentKeyId)!;
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: text(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: text(currentKeyId),
      },
      data: seal(key, currentKeyId, temporal.api.common.v1.Payload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  private decodeOne(payload: Payload): Payload {
    const refuse = this.options.unsealed === 'refuse';
    if (asText(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING)
      return refuse ? refusal('plain payload') : payload;
    const keyId = asText(payload.metadata?.[KEY_ID_METADATA]);
    const sealed = Buffer.from(payload.data ?? new Uint8Array());
    try {
      const fingerprinted = isFingerprint(keyId);
      const key = fingerprinted ? this.keyRing.keys.get(keyId) : this.keyRing.legacyNames.get(keyId);
      if (!key) throw new PayloadKeyUnavailable(keyId, this.keyRing.keys.keys());
      const plain = fingerprinted ? open(key, keyId, sealed) : openLegacy(key, sealed);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch (error) {
      if (error instanceof PayloadKeyUnavailable) throw error;
      const why = error instanceof SealBroken ? error.message : 'sealed content is not a payload';
      if (refuse) return refusal(why);
      throw new SealBroken(`payload with key ${keyId}: ${why}`);
    }
  }
}
