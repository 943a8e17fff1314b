/**
 * The codec server's own settings from the configuration: who may call it (OIDC) and from where
 * (CORS). Apart from the key ring (./from-config) so the worker and the CLI, which only seal and
 * open payloads, do not load the token verifier.
 */
import { oidcVerifier, type OidcVerifier } from '../auth/oidc';
import type { Config } from '../config';

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
