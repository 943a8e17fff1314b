/** The payload key ring from the configuration (or the development key). */
import { dataPath, type Config } from '../config';
import { developmentKeyRing, parseKeyRing, type KeyRing } from './key-ring';

/** `createDevelopmentKey`: only `npm start` makes a development key; other processes read it. */
export function keyRingFrom(config: Config, options: { createDevelopmentKey?: boolean } = {}): KeyRing {
  if (!config.CSP_PAYLOAD_KEYS)
    return developmentKeyRing(dataPath(config), { create: options.createDevelopmentKey ?? false });
  return parseKeyRing(config.CSP_PAYLOAD_KEYS, config.CSP_PAYLOAD_KEY_ID);
}
