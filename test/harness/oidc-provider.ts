/**
 * A stand-in identity provider on loopback for authorization suites: its key set (JWKS) over real
 * HTTP, and access tokens signed with its key, or with a stranger's key, expired, for another
 * issuer or audience, as a test needs.
 */
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Sign with a key the provider does not publish (under the published key's ID). */
  strangerKey?: boolean;
}

export interface OidcProvider {
  issuer: string;
  jwksUrl: string;
  token(claims: JWTPayload, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcProvider(audience: string): Promise<OidcProvider> {
  const [own, stranger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    const known = req.url === '/jwks';
    res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
    res.end(known ? JSON.stringify({ keys: [jwk] }) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    token: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
        .setIssuer(options.issuer ?? base)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 300))
        .sign(options.strangerKey ? stranger.privateKey : own.privateKey),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
