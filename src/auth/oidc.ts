/**
 * OIDC access tokens (JWTs) checked with `jose` against the identity provider's key set (JWKS):
 * signature by one of its keys, issuer, audience, expiry. Shared by the API and the codec server.
 * Why a token was refused is said in a few words; the token itself is never quoted.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface OidcSettings {
  issuer: string;
  jwksUrl: string;
  audience: string;
}

/** The token is not acceptable (401). */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
}

/** The identity provider's keys could not be read, so no token can be checked now (503). */
export class IdentityProviderUnavailable extends Error {
  override readonly name = 'IdentityProviderUnavailable';
}

/** Asymmetric algorithms only: an HMAC "signed" with a public key, or `none`, never passes. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
export const looksLikeJwt = (token: string): boolean => JWT_SHAPE.test(token);

export type OidcVerifier = (token: string) => Promise<JWTPayload>;

export function oidcVerifier(settings: OidcSettings): OidcVerifier {
  const keySet = createRemoteJWKSet(new URL(settings.jwksUrl), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
  });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
        clockTolerance: 5,
      });
      return payload;
    } catch (error) {
      throw explain(error);
    }
  };
}

function explain(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new TokenRejected('the access token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim === 'iss' ? 'issuer' : error.claim === 'aud' ? 'audience' : error.claim;
    return new TokenRejected(`the access token's ${claim} is not the one configured`);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return new IdentityProviderUnavailable('the identity provider’s keys cannot be read');
  if (error instanceof errors.JOSEError)
    return new TokenRejected('the access token is not signed by the configured identity provider');
  // fetch failed: the JWKS URL does not answer.
  return new IdentityProviderUnavailable('the identity provider’s keys cannot be read');
}
