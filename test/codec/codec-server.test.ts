/**
 * The codec server over real HTTP: who may decode (the operator token, OIDC access tokens checked
 * against a key set served on loopback, the sign-in page's session cookie), what it says to
 * everyone else, and malformed requests answered with a 4xx in the service's error shape.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { startCodecServer, type CodecServer } from '../../src/codec/codec-server';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { oidcVerifier } from '../../src/auth/oidc';
import { TEST_KEY_RING } from '../harness/keys';
import { startOidcProvider, type OidcProvider } from '../harness/oidc-provider';
import { quietLog } from '../harness/logs';

const OPERATOR_TOKEN = 'operator-token-for-codec-tests-0123';
const AUDIENCE = 'temporal-ui';
const UI = 'http://127.0.0.1:8233';
const codec = new EncryptionCodec(TEST_KEY_RING);
let provider: OidcProvider;
let server: CodecServer;
let sealed: unknown;

beforeAll(async () => {
  provider = await startOidcProvider(AUDIENCE);
  server = await startCodecServer({
    codec,
    operatorToken: OPERATOR_TOKEN,
    oidc: oidcVerifier({ issuer: provider.issuer, jwksUrl: provider.jwksUrl, audience: AUDIENCE }),
    namespaces: ['default'],
    corsOrigins: [UI],
    log: quietLog(),
  });
  const [payload] = await codec.encode([defaultPayloadConverter.toPayload({ email: 'li.na@example.cn' })]);
  sealed = temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), {
    bytes: String,
  });
});
afterAll(async () => {
  await server?.close();
  await provider?.close();
});

function decode(headers: Record<string, string>, body: unknown = { payloads: [sealed] }) {
  return fetch(`${server.url}/codec/decode`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function decodedEmail(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  const { payloads } = (await response.json()) as { payloads: { data: string }[] };
  return JSON.parse(Buffer.from(payloads[0].data, 'base64').toString()).email;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('who may decode', () => {
  test('the operator token', async () => {
    expect(await decodedEmail(await decode(bearer(OPERATOR_TOKEN)))).toBe('li.na@example.cn');
  });

  test('an OIDC access token as Temporal UI passes it', async () => {
    const token = await provider.token({ sub: 'ops-7', email: 'ops@21vianet.example' });
    expect(await decodedEmail(await decode(bearer(token)))).toBe('li.na@example.cn');
  });

  test.each([
    ['expired', { expiresIn: -60 }, /expired/],
    ['for another issuer', { issuer: 'https://login.example.cn/other' }, /issuer/],
    ['for another audience', { audience: 'csp-enrollment-api' }, /audience/],
    ['signed with a key the issuer does not publish', { strangerKey: true }, /not signed/],
  ])('not an access token %s', async (_what, options, message) => {
    const response = await decode(bearer(await provider.token({ sub: 'ops-7' }, options)));
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).toMatch(message);
    expect(JSON.stringify(body)).not.toContain('li.na');
  });

  test('nobody without a token, with a wrong one, or for another namespace', async () => {
    expect((await decode({})).status).toBe(401);
    expect((await decode(bearer('guess-0123456789abcdef'))).status).toBe(401);
    expect((await decode({ ...bearer(OPERATOR_TOKEN), 'X-Namespace': 'payments' })).status).toBe(403);
    // The token in the path, as before, is no route at all.
    const inPath = await fetch(`${server.url}/codec/t/${OPERATOR_TOKEN}/decode`, { method: 'POST' });
    expect(inPath.status).toBe(404);
  });

  test('the identity provider’s keys out of reach: 503, not a pass', async () => {
    const unreachable = await startCodecServer({
      codec,
      oidc: oidcVerifier({ issuer: provider.issuer, jwksUrl: 'http://127.0.0.1:9/jwks', audience: AUDIENCE }),
      namespaces: ['default'],
      corsOrigins: [UI],
      log: quietLog(),
    });
    try {
      const token = await provider.token({ sub: 'ops-7' });
      const response = await fetch(`${unreachable.url}/codec/decode`, {
        method: 'POST',
        headers: { ...bearer(token), 'Content-Type': 'application/json', 'X-Namespace': 'default' },
        body: JSON.stringify({ payloads: [sealed] }),
      });
      expect(response.status).toBe(503);
    } finally {
      await unreachable.close();
    }
  });
});

describe('the sign-in page (development Temporal UI)', () => {
  const signIn = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/codec/session`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token }).toString(),
    });

  test('an operator signs in once; the cookie decodes, holds no token and is script-proof', async () => {
    const page = await fetch(`${server.url}/codec`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('name="token"');

    const wrong = await signIn('not-the-token-0123456789');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const signedIn = await signIn(OPERATOR_TOKEN, { Origin: server.url });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/codec');
    const cookie = signedIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^csp_codec_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/codec');
    expect(cookie).not.toContain(OPERATOR_TOKEN);
    const session = cookie.split(';')[0];

    expect(await decodedEmail(await decode({ Cookie: session, Origin: UI }))).toBe('li.na@example.cn');
    const again = await fetch(`${server.url}/codec`, { headers: { Cookie: session } });
    expect(await again.text()).toContain('Signed in');

    const out = await fetch(`${server.url}/codec/session/end`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: session },
    });
    expect(out.status).toBe(303);
    expect((await decode({ Cookie: session })).status).toBe(401);
  });

  test('a form posted from another site does not sign the browser in', async () => {
    const forged = await signIn(OPERATOR_TOKEN, { Origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  test('Temporal UI’s preflight with credentials is allowed for its origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type,x-namespace',
        },
      });
    const ui = await preflight(UI);
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ui.headers.get('access-control-allow-credentials')).toBe('true');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('malformed requests', () => {
  const cases: [string, () => Promise<Response>, number][] = [
    ['a bad escape in the path', () => fetch(`${server.url}/codec/t/%E0/decode`, { method: 'POST' }), 400],
    ['a body that is not JSON', () => decode(bearer(OPERATOR_TOKEN), '{"payloads": ['), 400],
    ['payloads that are not a list', () => decode(bearer(OPERATOR_TOKEN), { payloads: 'x' }), 400],
    ['data that is not base64', () => decode(bearer(OPERATOR_TOKEN), { payloads: [{ data: '%%%' }] }), 400],
    [
      'a broken seal',
      () =>
        decode(bearer(OPERATOR_TOKEN), {
          payloads: [{ ...(sealed as object), data: Buffer.from('short').toString('base64') }],
        }),
      400,
    ],
    [
      'a wrong content type',
      () =>
        fetch(`${server.url}/codec/decode`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/xml', ...bearer(OPERATOR_TOKEN), 'X-Namespace': 'default' },
          body: '<payloads/>',
        }),
      415,
    ],
    [
      'an oversized body',
      () => decode(bearer(OPERATOR_TOKEN), `{"payloads":"${'A'.repeat(5 * 1024 * 1024)}"}`),
      413,
    ],
  ];
  test.each(cases)('%s is a 4xx in the service’s error shape', async (_what, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('li.na');
  });

  test('the server still answers its health route', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
  });
});
