/** The key ring the configuration names, or the development key for local runs. */
import { dataPath, type Config } from '../config';
import { developmentKeyRing, parseKeyRing, type KeyRing } from './key-ring';

export function keyRingFrom(config: Config): KeyRing {
  if (!config.CSP_PAYLOAD_KEYS) return developmentKeyRing(dataPath(config));
  const firstId = config.CSP_PAYLOAD_KEYS.split('=')[0].trim();
  return parseKeyRing(config.CSP_PAYLOAD_KEYS, config.CSP_PAYLOAD_KEY_ID ?? firstId);
}
