/**
 * What the activities tell Temporal when an external system fails or refuses, against the
 * simulator over HTTP: a retryable answer with Retry-After sets the next retry's delay; a business
 * refusal is a benign, non-retryable failure (the SDK logs it at debug, not as a failing activity);
 * a send the mailer's breaker refused comes back when the breaker says.
 */
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { createActivities } from '../../src/activities';
import { GUIDE_LINKS } from '../../src/domain/links';
import { HttpCreditBureau } from '../../src/integrations/credit-bureau/http-credit-bureau';
import { CIRCUIT_OPEN } from '../../src/integrations/mail/breaker';
import { MailDeliveryError } from '../../src/integrations/mail/mailer';
import { HttpPartnerCenter } from '../../src/integrations/partner-center/http-partner-center';
import { HttpSmsGateway } from '../../src/integrations/sms/http-sms-gateway';
import { startSimulator, type Simulator } from '../../src/stand-ins/simulator';

let sim: Simulator;
let activities: ReturnType<typeof createActivities>;

beforeAll(async () => {
  sim = await startSimulator({});
  const options = { baseUrl: sim.url, timeoutMs: 2000 };
  activities = createActivities({
    partnerCenter: new HttpPartnerCenter(options),
    creditBureau: new HttpCreditBureau(options),
    sms: new HttpSmsGateway(options),
    // Neither is reached by the calls below.
    auditLog: { append: () => Promise.reject(new Error('unused')), read: () => Promise.resolve([]) },
    mail: { send: () => Promise.reject(new Error('unused')) },
    reviewers: [],
    reviewLeads: [],
    links: GUIDE_LINKS,
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  return error as ApplicationFailure;
}

it('a 503 with Retry-After becomes a retryable failure whose next retry waits as long as it asks', async () => {
  sim.faults.update({ errorRate: 1 }, Date.now());
  const error = await failure(activities.getAgreementOffer());
  expect(error).toMatchObject({
    type: 'partner-centerUnavailable',
    nonRetryable: false,
    nextRetryDelay: 1000,
    details: [{ status: 503, code: 'unavailable' }],
  });
});

it('a non-member of the partner network is a benign business refusal, not retried', async () => {
  const error = await failure(activities.checkMpnMembership({ mpnId: '9123456' }));
  expect(error).toMatchObject({
    type: 'NotAnMpnMember',
    nonRetryable: true,
    category: ApplicationFailureCategory.BENIGN,
  });
});

it('a send the mailer refuses while the SMTP server is silent comes back when it says, not by the backoff', async () => {
  const refusing = createActivities({
    partnerCenter: new HttpPartnerCenter({ baseUrl: sim.url, timeoutMs: 2000 }),
    creditBureau: new HttpCreditBureau({ baseUrl: sim.url, timeoutMs: 2000 }),
    sms: new HttpSmsGateway({ baseUrl: sim.url, timeoutMs: 2000 }),
    auditLog: { append: () => Promise.reject(new Error('unused')), read: () => Promise.resolve([]) },
    mail: {
      send: () =>
        Promise.reject(
          new MailDeliveryError(
            'SMTP server silent: 5 sends in a row timed out',
            true,
            undefined,
            CIRCUIT_OPEN,
            12_345,
          ),
        ),
    },
    reviewers: [],
    reviewLeads: [],
    links: GUIDE_LINKS,
  });
  const error = await failure(
    refusing.sendNotification({
      enrollmentId: 'enrollment-91310000MA1FL8XQ3B',
      notification: {
        key: 'approved',
        template: 'approved',
        to: ['wei.zhang@yunfan.example.cn'],
        locale: 'en-US',
        params: { companyName: 'Shanghai Yunfan Technology', enrollmentId: 'enrollment-91310000MA1FL8XQ3B' },
      },
    }),
  );
  expect(error).toMatchObject({ type: 'MailDeliveryError', nonRetryable: false, nextRetryDelay: 12_345 });
});
