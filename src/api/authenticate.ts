/**
 * Who the bearer token stands for: a static token from the token table (development, scripts), or
 * an OIDC access token verified against the configured identity provider, whose subject and role
 * come from configured claims. The acting person always comes from here, never from a body.
 */
import type { JWTPayload } from 'jose';
import { bearerToken } from '../auth/bearer';
import { IdentityProviderUnavailable, looksLikeJwt, type OidcVerifier, TokenRejected } from '../auth/oidc';
import { ROLES } from '../domain/actions';
import { Email } from '../domain/enrollment';
import { ApiError } from './errors';
import { SubjectId, type Caller, type Role, type TokenTable } from './tokens';

export interface OidcCallers {
  verify: OidcVerifier;
  /** Claim naming the subject (default `sub`). */
  subjectClaim: string;
  /** Claim naming the role: a string, or an array holding exactly one of the service's roles. */
  roleClaim: string;
  /** Claim holding the person's email (default `email`): whom they sign the agreement as. */
  emailClaim: string;
  /**
   * Claim that must be `true` for the email to count (default `email_verified`); empty when the
   * identity provider's email claim is verified by construction (a directory's own addresses).
   */
  emailVerifiedClaim: string;
}

export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

export function authenticator(tokens: TokenTable, oidc?: OidcCallers): Authenticate {
  return async (authorization) => {
    const token = bearerToken(authorization);
    const known = token ? tokens.authenticate(token) : undefined;
    if (known) return known;
    if (!token || !oidc || !looksLikeJwt(token))
      throw new ApiError(401, 'unauthorized', 'a valid bearer token is required');
    let claims: JWTPayload;
    try {
      claims = await oidc.verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) throw new ApiError(401, 'unauthorized', error.message);
      if (error instanceof IdentityProviderUnavailable) throw new ApiError(503, 'unavailable', error.message);
      throw error;
    }
    const email = verifiedEmail(claims, oidc.emailClaim, oidc.emailVerifiedClaim);
    return {
      id: subjectOf(claims, oidc.subjectClaim),
      role: roleOf(claims, oidc.roleClaim),
      ...(email ? { email } : {}),
    };
  };
}

/** The token's email, when it is one and the identity provider says it verified it; else none. */
function verifiedEmail(claims: JWTPayload, name: string, verifiedName: string): string | undefined {
  const email = Email.safeParse(claim(claims, name));
  if (!email.success) return undefined;
  if (verifiedName && claim(claims, verifiedName) !== true) return undefined;
  return email.data;
}

/** A claim by name; dots walk into objects (`realm_access.roles`). */
function claim(claims: JWTPayload, name: string): unknown {
  return name.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], claims);
}

function subjectOf(claims: JWTPayload, name: string): string {
  const parsed = SubjectId.safeParse(claim(claims, name));
  if (!parsed.success)
    throw new ApiError(403, 'forbidden', `the access token's ${name} claim is not a usable subject ID`);
  return parsed.data;
}

function roleOf(claims: JWTPayload, name: string): Role {
  const value = claim(claims, name);
  const named = (Array.isArray(value) ? value : [value]).filter((v): v is Role => ROLES.includes(v as Role));
  if (named.length !== 1)
    throw new ApiError(
      403,
      'forbidden',
      named.length === 0
        ? `the access token's ${name} claim names none of the roles ${ROLES.join(', ')}`
        : `the access token's ${name} claim names several roles (${named.join(', ')}); one is needed`,
    );
  return named[0];
}
