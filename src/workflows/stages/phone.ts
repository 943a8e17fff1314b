/**
 * The guide's step 4: "for your protection, you *may* need to verify your account by phone … use
 * your organization's phone number in China", before *Create account*. Partner Center decides
 * whether; the code reaches a mobile by SMS and a landline by a voice call. Code numbers are
 * reserved before the gateway is called, so two requests never both send "code #2".
 */
import { ActivityFailure, ApplicationFailure, allHandlersFinished, condition } from '@temporalio/workflow';
import { RequestPhoneCode, SubmitPhoneCode } from '../../domain/actions';
import { durationMs } from '../../domain/enrollment';
import { phoneChannel } from '../../domain/phone';
import { withSummary } from '../activities';
import { inStep } from '../incidents';
import { STEP_FAILED, defineAction, rules, who } from '../actions';
import { iso, type Enrollment } from '../context';
import { actions } from '../definitions';
import { Ended, failed } from '../ending';

const HOUR = 3_600_000;

/** Asks Partner Center (once) whether it wants the phone verified, and verifies it if so. */
export async function verifyPhoneIfAsked(e: Enrollment): Promise<void> {
  const phone = e.status.phoneVerification;
  if (phone.required === undefined) {
    // Partner Center asks while creating the account; an existing one was created long ago.
    if (e.status.account.partnerAccountId || !e.policy.phoneVerification.required) {
      phone.required = false;
      return;
    }
    const number = e.request.organization.phone;
    const { required } = await inStep(e, 'checkPhoneVerification', () =>
      withSummary(
        'checkPhoneVerification',
        'Ask Partner Center about phone verification',
      )({
        tenantId: e.status.account.tenantId!,
        companyName: e.status.companyName,
        registrationNumber: e.request.organization.registrationNumber,
        phone: number,
      }),
    );
    phone.required = required;
    phone.channel = phoneChannel(number);
    e.audit(
      'system',
      required
        ? 'Partner Center asks for phone verification'
        : 'Partner Center did not ask for phone verification',
      required
        ? `a code by ${phone.channel === 'sms' ? 'SMS' : 'voice call'} to the organization's number`
        : undefined,
    );
  }
  if (!phone.required || phone.verified) return;

  const deadline = () => e.clock.applicationDeadline;
  if (e.status.stage !== 'phone-verification') {
    e.enterStage('phone-verification', deadline());
    await sendCode(e, false);
  }
  const { maxCodes } = e.policy.phoneVerification;
  const exhausted = () => phone.codesSent >= maxCodes && phone.attemptsLeft <= 0 && !phone.sending;
  const settled = await e.applicantWait(
    'phone',
    'Wait for the phone code',
    () => phone.verified || exhausted(),
    deadline,
  );
  await condition(allHandlersFinished); // a code being checked finishes first
  if (phone.verified) return;
  if (!settled)
    throw new Ended('expired', 'the phone number was not verified before the application deadline');
  e.audit('system', 'phone codes used up', `all ${maxCodes} codes were used without a right one`);
  throw failed('phone-codes-used-up');
}

/**
 * Sends the next code. `answering`: an applicant's request waits for it, so the call fails fast and
 * a failure gives the code number back (the applicant's request answers "try again").
 */
async function sendCode(e: Enrollment, answering: boolean): Promise<number> {
  const phone = e.status.phoneVerification;
  const { policy, request } = e;
  const codeNumber = phone.codesSent + 1;
  // The attempts the code in the applicant's hands still has, given back if the new one is not sent.
  const attemptsLeft = phone.attemptsLeft;
  phone.codesSent = codeNumber;
  phone.sending = true;
  phone.attemptsLeft = 0;
  (phone.codeTimes ??= []).push(iso());
  const channel = phone.channel ?? 'sms';
  try {
    const send = () =>
      withSummary(
        'sendVerificationCode',
        `Send phone code #${codeNumber} by ${channel === 'sms' ? 'SMS' : 'voice call'}`,
        answering,
      )({ ...e.scope, codeNumber, phone: request.organization.phone, channel, locale: request.locale });
    // The flow's own first code waits out a gateway outage as an incident; a requested one fails fast.
    const { verificationId } = answering ? await send() : await inStep(e, 'sendVerificationCode', send);
    e.pending.verificationId = verificationId;
    phone.attemptsLeft = policy.phoneVerification.maxAttemptsPerCode;
    phone.codeExpiresAt = iso(Date.now() + durationMs(policy.phoneVerification.codeValidity));
    e.audit(
      'system',
      'phone code sent',
      `code #${codeNumber} by ${channel}, valid until ${phone.codeExpiresAt}`,
    );
    return codeNumber;
  } catch (error) {
    if (!answering || !(error instanceof ActivityFailure)) throw error;
    phone.codesSent = codeNumber - 1;
    phone.codeTimes.pop();
    phone.attemptsLeft = attemptsLeft;
    throw stepFailed(`code #${codeNumber} could not be sent`);
  } finally {
    phone.sending = false;
  }
}

/**
 * A step failed while the person waited: nothing of theirs was used, they may try again. The
 * activity's failure (which may quote the gateway) stays in history, out of the person's answer.
 */
function stepFailed(what: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: STEP_FAILED,
    message: `${what} (the gateway did not answer); nothing was used up, try again in a moment`,
    nonRetryable: true,
  });
}

export function registerPhoneActions(e: Enrollment): void {
  const { status, pending, policy } = e;
  const phone = status.phoneVerification;
  const { stageIs, applicantOnly } = rules(e);

  defineAction(e, 'submitPhoneCode', actions.submitPhoneCode, {
    schema: SubmitPhoneCode,
    refusal: ({ actor }) => {
      if (stageIs('phone-verification')) return stageIs('phone-verification');
      if (applicantOnly(actor)) return applicantOnly(actor);
      if (phone.verified) return 'the phone number is already verified';
      if (phone.sending) return 'a code is on its way; enter it once it arrives';
      if (phone.attemptsLeft <= 0) return 'no attempts left for this code; ask for a new code';
      if (phone.codeExpiresAt && Date.parse(phone.codeExpiresAt) <= Date.now())
        return 'the code has expired; ask for a new code';
      return undefined;
    },
    apply: async ({ actor, code }) => {
      phone.attemptsLeft -= 1;
      let valid: boolean;
      try {
        ({ valid } = await withSummary(
          'checkVerificationCode',
          'Check the phone code',
        )({
          verificationId: pending.verificationId!,
          code,
        }));
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        phone.attemptsLeft += 1; // the attempt was not judged: it is the applicant's again
        e.audit(
          who(actor),
          'phone code not checked',
          'the gateway did not answer; attempt given back',
          'refused',
        );
        throw stepFailed('the code could not be checked');
      }
      if (valid) {
        phone.verified = true;
        e.audit(who(actor), 'phone verified');
        return 'phone number verified';
      }
      e.audit(who(actor), 'wrong phone code', `${phone.attemptsLeft} attempts left`, 'refused');
      return `wrong code; ${phone.attemptsLeft} attempts left`;
    },
  });

  defineAction(e, 'requestPhoneCode', actions.requestPhoneCode, {
    schema: RequestPhoneCode,
    refusal: ({ actor }) => {
      const { maxCodes, maxCodesPerHour } = policy.phoneVerification;
      const lastHour = (phone.codeTimes ?? []).filter((at) => Date.parse(at) > Date.now() - HOUR);
      return (
        stageIs('phone-verification') ??
        applicantOnly(actor) ??
        (phone.verified ? 'the phone number is already verified' : undefined) ??
        (phone.sending ? 'a code is on its way' : undefined) ??
        (phone.codesSent >= maxCodes ? `all ${maxCodes} codes were used` : undefined) ??
        (lastHour.length >= maxCodesPerHour
          ? `at most ${maxCodesPerHour} codes an hour; ask again after ${iso(Date.parse(lastHour[0]) + HOUR)}`
          : undefined)
      );
    },
    apply: async ({ actor }) => {
      e.audit(who(actor), 'new phone code requested');
      const codeNumber = await sendCode(e, true);
      return `code #${codeNumber} was sent by ${phone.channel === 'voice' ? 'voice call' : 'SMS'}`;
    },
  });
}
