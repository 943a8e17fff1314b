/**
 * OIDC access tokens on the API, against a key set served on loopback: the subject and role come
 * from the configured claims; expired tokens, other issuers or audiences, foreign signatures and
 * tokens without a usable role are refused; the static tokens keep working beside them.
 */
import { authenticator } from '../../src/api/authenticate';
import { oidcCallers } from '../../src/api/start';
import { tokenTable } from '../../src/api/tokens';
import { statusQuery } from '../../src/workflows/definitions';
import { enrollmentRequest, reviewer as reviewerActor } from '../fixtures';
import { approve, start, submitApplication, waitForOffer, waitForReview } from '../harness/driver';
import { loadApiConfig } from '../../src/api/config';
import { OWNER_ID } from '../../src/client/owner-ids';
import { searchAttributes } from '../../src/workflows/definitions';
import { startApiStack, startBody, waitForQueue, type ApiStack } from '../harness/api-stack';
import { startOidcProvider, type OidcProvider } from '../harness/oidc-provider';

const AUDIENCE = 'csp-enrollment-api';
let provider: OidcProvider;
let api: ApiStack;

beforeAll(async () => {
  provider = await startOidcProvider(AUDIENCE);
  const config = loadApiConfig({
    CSP_API_OIDC_ISSUER: provider.issuer,
    CSP_API_OIDC_JWKS_URL: provider.jwksUrl,
    CSP_API_OIDC_AUDIENCE: AUDIENCE,
    CSP_API_OIDC_ROLE_CLAIM: 'csp.roles',
    CSP_API_OIDC_SUBJECT_CLAIM: 'preferred_username',
  });
  api = await startApiStack('api-oidc', { oidc: oidcCallers(config) });
});
afterAll(async () => {
  await api?.close();
  await provider?.close();
});

const as = async (claims: Record<string, unknown>, options = {}) => ({
  token: await provider.token({ sub: 'f1c9', ...claims }, options),
});
const reviewer = { preferred_username: 'mei.lin@21vianet.example', csp: { roles: ['reviewer'] } };

test('a valid access token acts as its subject, with the role from its claim', async () => {
  const me = await api.call(await as(reviewer), 'GET', '/me');
  expect(me).toMatchObject({ status: 200, body: { id: 'mei.lin@21vianet.example', role: 'reviewer' } });
  // The static development tokens still work beside it.
  expect((await api.call('lead', 'GET', '/me')).body).toEqual({ id: 'lead-1', role: 'review-lead' });
});

test('an applicant with an access token starts an enrollment and owns it; their email never reaches a search attribute', async () => {
  const email = 'zhou.qing@yunfan.example.cn';
  const applicant = await as({ preferred_username: email, csp: { roles: 'applicant' } });
  const started = await api.call(applicant, 'POST', '/enrollments', startBody());
  expect(started.status).toBe(201);
  const id = started.body.enrollmentId;
  const status = await api.call(applicant, 'GET', `/enrollments/${id}`);
  expect(status.body.owner).toBe(email);
  expect((await api.call('otherApplicant', 'GET', `/enrollments/${id}`)).status).toBe(403);

  // Search attributes are not encrypted: CspOwner holds an opaque owner ID, and no attribute the subject.
  const { searchAttributes: raw, typedSearchAttributes } = await api.stack.temporal.client.workflow
    .getHandle(id)
    .describe();
  expect(typedSearchAttributes.get(searchAttributes.owner)).toMatch(OWNER_ID);
  expect(JSON.stringify(raw)).not.toContain('zhou.qing');
  // "My enrollments" finds it by that ID; another applicant's list does not.
  const mine = await waitForQueue(api, applicant, '/enrollments', (items) =>
    items.some((item) => item.enrollmentId === id),
  );
  expect(JSON.stringify(mine)).not.toContain('owner');
  const theirs = await api.call('otherApplicant', 'GET', '/enrollments');
  expect(theirs.body.items.map((item: { enrollmentId: string }) => item.enrollmentId)).not.toContain(id);
  await api.call(applicant, 'POST', `/enrollments/${id}/withdraw`, {});
});

test('the email a token proves is the one its identity provider verified; only that one signs the agreement', async () => {
  const admin = { firstName: 'Qing', lastName: 'Zhou', email: 'zhou.qing@yunfan.example.cn' };
  const handle = await start(
    api.stack.temporal.client,
    api.stack.taskQueue,
    enrollmentRequest({
      owner: 'zhou.qing',
      globalAdmin: admin,
      policy: { phoneVerification: { required: false } },
    }),
  );
  await submitApplication(handle);
  await waitForReview(handle);
  await approve(handle, reviewerActor);
  const { agreement } = await waitForOffer(handle);
  const zhou = (verified: unknown) =>
    as({
      preferred_username: 'zhou.qing',
      csp: { roles: 'applicant' },
      email: admin.email,
      email_verified: verified,
    });

  const unverified = await zhou(false);
  expect((await api.call(unverified, 'GET', '/me')).body).toEqual({ id: 'zhou.qing', role: 'applicant' });
  const sign = async (caller: { token: string }) =>
    api.call(caller, 'POST', `/enrollments/${handle.workflowId}/agreement`, {
      agreementVersion: agreement.version,
      textDigest: agreement.textDigest,
    });
  const refused = await sign(unverified);
  expect(refused.status).toBe(403);
  expect(refused.body.error.message).toMatch(/this sign-in proves no email/);

  const verified = await zhou(true);
  expect((await api.call(verified, 'GET', '/me')).body).toEqual({
    id: 'zhou.qing',
    role: 'applicant',
    email: admin.email,
  });
  expect((await sign(verified)).status).toBe(200);
  expect((await handle.query(statusQuery)).agreement.acceptance).toMatchObject({
    signer: { email: admin.email },
    acceptedBy: 'applicant:zhou.qing',
  });
});

test('the email and verification claims are configurable; a malformed email proves nothing', async () => {
  const claims: Record<string, unknown> = {
    sub: 'f1c9',
    roles: 'applicant',
    upn: 'Zhou.Qing@Yunfan.example.cn',
    mail: 'not an email',
  };
  const callers = (emailClaim: string, emailVerifiedClaim: string) =>
    authenticator(tokenTable([]), {
      verify: async () => claims,
      subjectClaim: 'sub',
      roleClaim: 'roles',
      emailClaim,
      emailVerifiedClaim,
    });
  const jwt = await provider.token({});
  // A directory's own sign-in name needs no verification claim (configured empty).
  await expect(callers('upn', '')(`Bearer ${jwt}`)).resolves.toMatchObject({
    email: 'Zhou.Qing@Yunfan.example.cn', // compared with the global admin's whatever its case
  });
  expect(await callers('upn', 'email_verified')(`Bearer ${jwt}`)).not.toHaveProperty('email');
  expect(await callers('mail', '')(`Bearer ${jwt}`)).not.toHaveProperty('email');
  const config = loadApiConfig({
    CSP_API_OIDC_ISSUER: provider.issuer,
    CSP_API_OIDC_JWKS_URL: provider.jwksUrl,
    CSP_API_OIDC_AUDIENCE: AUDIENCE,
    CSP_API_OIDC_EMAIL_CLAIM: 'upn',
    CSP_API_OIDC_EMAIL_VERIFIED_CLAIM: '',
  });
  expect(oidcCallers(config)).toMatchObject({ emailClaim: 'upn', emailVerifiedClaim: '' });
});

test.each([
  ['expired', {}, { expiresIn: -60 }, 401, /expired/],
  ['for another issuer', {}, { issuer: 'https://login.example.cn/other' }, 401, /issuer/],
  ['for another audience', {}, { audience: 'someone-else' }, 401, /audience/],
  ['signed with a key the issuer does not publish', {}, { strangerKey: true }, 401, /not signed/],
  ['without the role claim', { csp: {} }, {}, 403, /names none of the roles/],
  ['with a role the service does not know', { csp: { roles: ['admin'] } }, {}, 403, /names none/],
  ['with two roles', { csp: { roles: ['reviewer', 'operator'] } }, {}, 403, /several roles/],
  ['with an unusable subject', { preferred_username: 'a b<c>' }, {}, 403, /not a usable subject/],
])('a token %s is refused', async (_what, claims, options, status, message) => {
  const answer = await api.call(await as({ ...reviewer, ...claims }, options), 'GET', '/me');
  expect(answer.status).toBe(status);
  expect(answer.body.error.message).toMatch(message);
  expect(answer.body.error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
});

test('an unsigned token (alg none) and garbage are refused', async () => {
  const [header, payload] = (await provider.token(reviewer)).split('.');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
  expect((await api.call({ token: none }, 'GET', '/me')).status).toBe(401);
  expect((await api.call({ token: `${header}.${payload}.AAAA` }, 'GET', '/me')).status).toBe(401);
  expect((await api.call({ token: 'a.b.c' }, 'GET', '/me')).status).toBe(401);
});
