/** Payload keys for a test run's dev-server suites: fresh per suite, shared by its worker and clients. */
import { randomBytes } from 'node:crypto';
import { parseKeyRing } from '../../src/codec/key-ring';

export const newKey = () => randomBytes(32).toString('base64');

export const TEST_KEY_RING = parseKeyRing(`test-1=${newKey()}`, 'test-1');
