/** Payload keys for a test run's dev-server suites: fresh per suite, shared by its worker and clients. */
import { newPayloadKey, parseKeyRing } from '../../src/codec/key-ring';

export const newKey = newPayloadKey;

export const TEST_KEY_RING = parseKeyRing(newKey());
