/**
 * The guide's step 5: the CSP application — MPN ID, the legal business profile, approval contacts
 * and customer-support details. Only partner network members may enroll; the application then
 * reaches Partner Center, and the applicant hears that the review may take several weeks.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { SubmitApplication } from '../../domain/actions';
import { withSummary } from '../activities';
import { inStep } from '../incidents';
import { businessFailure } from '../failures';
import { defineAction, rules, who } from '../actions';
import type { Enrollment } from '../context';
import { actions, searchAttributes } from '../definitions';
import { Ended } from '../ending';

export async function collectApplication(e: Enrollment): Promise<void> {
  const { status } = e;
  const deadline = () => e.clock.applicationDeadline;
  if (status.stage !== 'application') e.enterStage('application', deadline());
  if (
    !(await e.applicantWait(
      'application',
      'Wait for the CSP application',
      () => !!status.application,
      deadline,
    ))
  )
    throw new Ended('expired', 'no application was submitted before the deadline');

  const application = status.application!;
  upsertSearchAttributes([{ key: searchAttributes.mpnId, value: application.mpnId }]);
  try {
    await inStep(e, 'checkMpnMembership', () =>
      withSummary('checkMpnMembership', 'Check MPN membership')({ mpnId: application.mpnId }),
    );
    e.audit('system', 'MPN membership confirmed', application.mpnId);
  } catch (error) {
    if (!businessFailure(error, 'NotAnMpnMember')) throw error;
    throw new Ended('rejected', `MPN ID ${application.mpnId} is not a partner network member`, {
      notAMember: true,
    });
  }
  if (!status.applicationReference) {
    const { applicationReference } = await inStep(e, 'submitCspApplication', () =>
      withSummary(
        'submitCspApplication',
        'Submit the application to Partner Center',
      )({
        ...e.scope,
        partnerAccountId: status.account.partnerAccountId!,
        application,
      }),
    );
    status.applicationReference = applicationReference;
    e.audit('system', 'application submitted to Partner Center', applicationReference);
  }
  e.mail.send('application-received', 'application-received', 'applicant');
}

export function registerApplicationActions(e: Enrollment): void {
  const { stageIs, applicantOnly } = rules(e);
  defineAction(e, 'submitApplication', actions.submitApplication, {
    schema: SubmitApplication,
    refusal: ({ actor }) =>
      stageIs('application') ??
      applicantOnly(actor) ??
      (e.status.application ? 'the application was already submitted' : undefined),
    apply: ({ actor, application }) => {
      e.status.application = application;
      e.audit(who(actor), 'application submitted', `MPN ID ${application.mpnId}`);
      return 'application received';
    },
  });
}
