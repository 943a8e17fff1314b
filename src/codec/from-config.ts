/** The codec's settings from the configuration: the key ring (or the development key), OIDC, CORS. */
import { oidcVerifier, type OidcVerifier } from '../auth/oidc';
import { dataPath, type Config } from '../config';
import { developmentKeyRing, parseKeyRing, type KeyRing } from './key-ring';

/** `createDevelopmentKey`: only `npm start` makes a development key; other processes read it. */
export function keyRingFrom(config: Config, options: { createDevelopmentKey?: boolean } = {}): KeyRing {
  if (!config.CSP_PAYLOAD_KEYS)
    return developmentKeyRing(dataPath(config), { create: options.createDevelopmentKey ?? false });
  return parseKeyRing(config.CSP_PAYLOAD_KEYS, config.CSP_PAYLOAD_KEY_ID);
}

/** Temporal UI's OIDC access tokens, when the codec server is configured for them. */
export function codecOidcFrom(config: Config): OidcVerifier | undefined {
  const { CSP_CODEC_OIDC_ISSUER: issuer, CSP_CODEC_OIDC_JWKS_URL: jwksUrl } = config;
  const audience = config.CSP_CODEC_OIDC_AUDIENCE;
  return issuer && jwksUrl && audience ? oidcVerifier({ issuer, jwksUrl, audience }) : undefined;
}

/** Temporal UI's origins for the codec server's CORS: configured, or the dev server's UI. */
export function codecCorsOrigins(config: Config): string[] {
  const port = config.CSP_TEMPORAL_UI_PORT;
  return config.CSP_CODEC_CORS_ORIGINS ?? [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}
