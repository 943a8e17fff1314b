/**
 * The guide's steps 3 and 4: *Create account* — the Partner Center account of the organization,
 * whose first user is the global admin. The message that follows says to keep the sign-in details:
 * the global admin needs them to sign in, and again to sign the agreement.
 */
import { withSummary } from '../activities';
import { inStep } from '../incidents';
import type { Enrollment } from '../context';

export async function createPartnerAccount(e: Enrollment): Promise<void> {
  const { account } = e.status;
  if (account.partnerAccountId) return;
  const partner = await inStep(e, 'createPartnerAccount', () =>
    withSummary(
      'createPartnerAccount',
      'Create the Partner Center account',
    )({
      ...e.scope,
      tenantId: account.tenantId!,
      companyName: e.status.companyName,
      globalAdmin: e.admin,
    }),
  );
  account.partnerAccountId = partner.partnerAccountId;
  account.adminSignInName = partner.adminSignInName;
  e.audit('system', 'partner account created', partner.partnerAccountId);
  e.mail.send('account-created', 'account-created', 'applicant', { signInName: partner.adminSignInName });
}
