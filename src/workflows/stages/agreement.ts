/**
 * The guide's step 6: told they may resell Cloud Solution Provider services in China, the global
 * admin signs in to the Partner Center dashboard with the credentials saved at step 4 and selects
 * *Accept and continue* to sign the 21Vianet CSP reseller agreement. The stage shows at once on
 * approval; the offer (name, version, text digest) follows and acceptance waits for it.
 */
import { AcceptAgreement } from '../../domain/actions';
import { AGREEMENT_NAME, sameEmail } from '../../domain/agreement';
import { durationMs } from '../../domain/enrollment';
import { withSummary } from '../activities';
import { inStep } from '../incidents';
import { defineAction, rules, who } from '../actions';
import { epochSeconds, iso, type Enrollment } from '../context';
import { actions, searchAttributes } from '../definitions';
import { follows } from '../edition';
import { Ended } from '../ending';

/**
 * Entered in the very workflow task that records the approval, so the reviewer's answer and every
 * reader see the agreement stage at once; the offer is fetched behind it.
 */
export function openAgreementStage(e: Enrollment): void {
  if (e.status.stage !== 'agreement')
    e.enterStage('agreement', Date.now() + durationMs(e.policy.agreement.lapseAfter), [
      { key: searchAttributes.decidedAt, value: epochSeconds() },
    ]);
}

export async function signAgreement(e: Enrollment): Promise<void> {
  const { status, policy } = e;
  openAgreementStage(e);
  if (!status.agreement.version) {
    const offer = await inStep(e, 'getAgreementOffer', () =>
      withSummary('getAgreementOffer', 'Fetch the current 21Vianet CSP reseller agreement')(),
    );
    status.agreement = {
      name: offer.name ?? AGREEMENT_NAME,
      version: offer.version,
      textDigest: offer.textDigest,
      url: offer.url,
    };
    e.mail.send('approved', 'approved', 'applicant', { agreementVersion: offer.version });
  }
  const signed = await e.applicantWait(
    'agreement',
    'Wait for the agreement to be signed',
    () => !!status.agreement.acceptance,
    e.stageDeadline,
    {
      every: policy.agreement.reminderEvery,
      template: 'agreement-reminder',
      params: { agreementVersion: status.agreement.version },
    },
  );
  if (!signed)
    throw new Ended('expired', `the agreement was not signed within ${policy.agreement.lapseAfter}`);
  await recordAcceptance(e);
}

/**
 * An acceptance that arrived while the last run was handing over (continue-as-new waits for its
 * emails) is carried over unrecorded; runs before this patch lost it.
 */
const RECORD_CARRIED_ACCEPTANCE = 'record-carried-acceptance';

/** Whether this run still has to record an acceptance given before it started. */
export function acceptanceToRecord(e: Enrollment): boolean {
  const { agreement, provisioning } = e.status;
  return (
    !!agreement.acceptance &&
    !agreement.recordedAt &&
    // Recorded by code that did not note it: provisioning follows the recording.
    provisioning.attempts === 0 &&
    !provisioning.readyAt &&
    follows(RECORD_CARRIED_ACCEPTANCE)
  );
}

/** Partner Center records the signed agreement (idempotent per attempt). */
export async function recordAcceptance(e: Enrollment): Promise<void> {
  const { status } = e;
  const acceptance = status.agreement.acceptance!;
  await inStep(e, 'recordAgreementAcceptance', () =>
    withSummary(
      'recordAgreementAcceptance',
      'Record the signed agreement in Partner Center',
    )({
      ...e.scope,
      partnerAccountId: status.account.partnerAccountId!,
      ...acceptance,
    }),
  );
  status.agreement.recordedAt = iso();
  e.audit('system', 'agreement acceptance recorded', `version ${acceptance.version}`);
}

export function registerAgreementActions(e: Enrollment): void {
  const { status } = e;
  const { stageIs } = rules(e);
  defineAction(e, 'acceptAgreement', actions.acceptAgreement, {
    schema: AcceptAgreement,
    refusal: ({ actor, agreementVersion, textDigest, signerEmail }) => {
      const offer = status.agreement;
      return (
        stageIs('agreement') ??
        (actor.role !== 'applicant'
          ? 'only the applicant’s global admin can sign the agreement'
          : undefined) ??
        (offer.acceptance ? 'the agreement was already signed' : undefined) ??
        (!offer.version ? 'the agreement offer is being prepared; try again in a moment' : undefined) ??
        (agreementVersion !== offer.version
          ? `agreement version ${agreementVersion} is not the one offered (${offer.version})`
          : undefined) ??
        (textDigest !== offer.textDigest
          ? 'the agreement text digest does not match the text offered'
          : undefined) ??
        (!signerEmail ? 'name the signer (signerEmail): the global admin signs the agreement' : undefined) ??
        (signerEmail && !sameEmail(signerEmail, e.admin.email)
          ? `the ${AGREEMENT_NAME} is signed by the enrollment's global admin, ${e.admin.email}; ${signerEmail} is not`
          : undefined)
      );
    },
    apply: ({ actor, agreementVersion, textDigest }) => {
      status.agreement.acceptance = {
        signer: { name: e.adminName, email: e.admin.email },
        acceptedBy: who(actor),
        acceptedAt: iso(),
        version: agreementVersion,
        textDigest,
      };
      e.audit(
        who(actor),
        'agreement signed',
        `${AGREEMENT_NAME} version ${agreementVersion}, by the global admin`,
      );
      return `${AGREEMENT_NAME} signed`;
    },
  });
}
