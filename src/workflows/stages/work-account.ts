/**
 * The guide's step 2: "sign in with your organization's global admin credentials, or select
 * *create it*". An existing work account is found by its domain, and Partner Center confirms the
 * named person holds its global admin role; a new one is created under the wanted prefix. When
 * Partner Center refuses (unknown domain, not the global admin, taken prefix) the applicant is told
 * why and corrects the details; the enrollment waits for that instead of failing.
 */
import { CorrectAccountDetails } from '../../domain/actions';
import { initialDomain, type WorkAccount } from '../../domain/enrollment';
import type { AccountProblem } from '../../domain/status';
import type { EnrollmentActivities } from '../../activities';
import { withSummary } from '../activities';

type WorkAccountVerification = Awaited<ReturnType<EnrollmentActivities['verifyWorkAccount']>>;
import { defineAction, rules, who } from '../actions';
import { iso, type Enrollment } from '../context';
import { actions } from '../definitions';
import { Ended } from '../ending';
import { inStep } from '../incidents';

export async function setUpWorkAccount(e: Enrollment): Promise<void> {
  const { account } = e.status;
  if (e.status.stage !== 'account-correction') e.enterStage('account-setup');
  for (;;) {
    if (account.problem) await awaitCorrection(e, account.problem);
    const problem = await findOrCreate(e, account.workAccount!);
    if (!problem) return;
    account.problem = { ...problem, at: iso() };
    e.audit('system', 'account details refused', problem.message, 'refused');
  }
}

async function findOrCreate(
  e: Enrollment,
  choice: WorkAccount,
): Promise<Omit<AccountProblem, 'at'> | undefined> {
  const adminEmail = e.admin.email;
  if (choice.kind === 'existing') {
    const found = await verify(e, choice.domain);
    if (found.outcome === 'unknown-domain')
      return { code: 'unknown-domain', message: `no work account has the domain ${choice.domain}` };
    if (!found.globalAdmin)
      return {
        code: 'not-global-admin',
        message: `${adminEmail} does not hold the global admin role of ${choice.domain}`,
      };
    adopt(e, found, 'work account found');
    return undefined;
  }

  const corrections = e.status.account.corrections ?? 0;
  const created = await inStep(e, 'createWorkAccount', () =>
    withSummary(
      'createWorkAccount',
      'Create the work account',
    )({
      ...e.scope,
      companyName: e.status.companyName,
      domainPrefix: choice.domainPrefix,
      globalAdmin: e.admin,
      registrationNumber: e.request.organization.registrationNumber,
      // A corrected prefix is another request, not a retry of the refused one.
      ...(corrections ? { attemptId: `${e.attemptId}/${corrections}` } : {}),
    }),
  );
  if (created.outcome === 'created') {
    Object.assign(e.status.account, {
      tenantId: created.tenantId,
      tenantDomain: created.domain,
      existing: false,
    });
    e.audit('system', 'work account created', created.domain);
    return undefined;
  }
  // Taken: by this organization itself (an earlier enrollment created it) when the named person is
  // its global admin; then it is theirs to use, as the guide's first path.
  const domain = initialDomain(choice.domainPrefix);
  const found = await verify(e, domain);
  if (found.outcome === 'found' && found.globalAdmin) {
    adopt(e, found, 'work account found (its domain was registered for this organization before)');
    return undefined;
  }
  // The organization's own, and the person named is not its global admin: the admin is what to
  // correct (another prefix would make the organization a second work account).
  if (found.outcome === 'found' && found.sameOrganization)
    return {
      code: 'not-global-admin',
      message:
        `${domain} is already your organization's work account (an earlier enrollment created it), ` +
        `and ${adminEmail} does not hold its global admin role: name the person who does, ` +
        `or have them make ${adminEmail} a global admin of it and send the details again`,
    };
  return {
    code: 'domain-taken',
    message: `the domain ${domain} is already registered; choose another prefix`,
  };
}

function verify(e: Enrollment, domain: string): Promise<WorkAccountVerification> {
  return inStep(e, 'verifyWorkAccount', () =>
    withSummary(
      'verifyWorkAccount',
      `Find the work account ${domain}`,
    )({
      domain,
      globalAdminEmail: e.admin.email,
      registrationNumber: e.request.organization.registrationNumber,
    }),
  );
}

function adopt(e: Enrollment, found: Extract<WorkAccountVerification, { outcome: 'found' }>, what: string) {
  const { account } = e.status;
  Object.assign(account, {
    tenantId: found.tenantId,
    tenantDomain: found.domain,
    existing: true,
    ...(found.adminSignInName ? { adminSignInName: found.adminSignInName } : {}),
  });
  e.audit('system', what, `${found.domain}; global admin confirmed`);
  if (found.partnerAccount) {
    account.partnerAccountId = found.partnerAccount.partnerAccountId;
    account.adminSignInName = found.partnerAccount.adminSignInName;
    e.audit('system', 'partner account exists', found.partnerAccount.partnerAccountId);
  }
}

async function awaitCorrection(e: Enrollment, problem: AccountProblem): Promise<void> {
  const deadline = () => e.clock.applicationDeadline;
  const round = e.status.account.corrections ?? 0;
  if (e.status.stage !== 'account-correction') {
    e.enterStage('account-correction', deadline());
    e.mail.send(`account-details-needed-${round}`, 'account-details-needed', 'applicant', {
      reason: problem.message,
      dueAt: iso(deadline()),
    });
  }
  const corrected = await e.applicantWait(
    `account-${round}`,
    'Wait for corrected account details',
    () => !!e.pending.accountCorrected,
    deadline,
  );
  if (!corrected)
    throw new Ended('expired', 'the account details were not corrected before the application deadline');
  e.pending.accountCorrected = false;
  e.status.account.problem = undefined;
  e.enterStage('account-setup');
}

export function registerWorkAccountActions(e: Enrollment): void {
  const { stageIs, applicantOnly } = rules(e);
  defineAction(e, 'correctAccountDetails', actions.correctAccountDetails, {
    schema: CorrectAccountDetails,
    refusal: ({ actor }) =>
      stageIs('account-correction') ??
      applicantOnly(actor) ??
      (e.pending.accountCorrected ? 'the corrected details are being checked' : undefined),
    apply: ({ actor, workAccount, globalAdmin }) => {
      const { account } = e.status;
      if (workAccount) account.workAccount = workAccount;
      if (globalAdmin) e.status.globalAdmin = globalAdmin;
      account.corrections = (account.corrections ?? 0) + 1;
      e.pending.accountCorrected = true;
      const named = [
        workAccount &&
          (workAccount.kind === 'existing'
            ? `existing work account ${workAccount.domain}`
            : `new work account under ${initialDomain(workAccount.domainPrefix)}`),
        globalAdmin && 'another global admin',
      ].filter(Boolean);
      e.audit(who(actor), 'account details corrected', named.join('; '));
      return 'account details received; Partner Center checks them again';
    },
  });
}
