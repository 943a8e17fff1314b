/**
 * The applicant (or an operator for them) withdraws at any stage before the account is
 * provisioned: the flow's scope is cancelled, whatever step was running stops, and the enrollment
 * ends `withdrawn`.
 */
import { Withdraw } from '../domain/actions';
import { WITHDRAWABLE_STAGES, type Stage } from '../domain/status';
import { defineAction, rules, who } from './actions';
import type { Enrollment } from './context';
import { actions } from './definitions';

export function registerWithdrawal(e: Enrollment): void {
  const { ended, applicantOnly } = rules(e);
  // Taken by this run. Not `pending.withdrawal`: runs before the hand-over patch carried one they
  // had taken into the next run, which never acted on it — a withdrawal sent again must be taken.
  let taken = false;
  const withdrawable = (stage: Stage) =>
    stage === 'account-setup' || (WITHDRAWABLE_STAGES as readonly Stage[]).includes(stage);
  defineAction(e, 'withdraw', actions.withdraw, {
    schema: Withdraw,
    refusal: ({ actor }) =>
      ended() ??
      applicantOnly(actor) ??
      (withdrawable(e.status.stage)
        ? undefined
        : 'the account is provisioned; there is nothing left to withdraw') ??
      (taken ? 'already withdrawing' : undefined),
    apply: ({ actor, reason }) => {
      taken = true;
      e.pending.withdrawal = { by: who(actor), reason: reason ?? `withdrawn by ${who(actor)}` };
      e.audit(who(actor), 'withdrawal requested', reason);
      e.flow.cancel();
      return 'the enrollment is being withdrawn';
    },
  });
}
