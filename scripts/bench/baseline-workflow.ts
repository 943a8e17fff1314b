/**
 * The bench's baseline: the enrollment's happy path with no business logic. The same activities
 * (22, the emails and audit writes beside the flow as there), the same five updates (the phone
 * code's checked inside its update, the acceptance's audit write started there) and the same four
 * waits with a deadline timer, and the stages the people wait for, so that one driver (drive.ts)
 * takes both through the same steps with the same client calls. The throughput ratio and the
 * workflow thread's CPU then show what the enrollment's own code costs.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export type BaselineStep = 'phone-code' | 'application' | 'claim' | 'decide' | 'accept';

/** What the people see, as the enrollment's status shows it (drive.ts waits on the same points). */
export interface BaselineView {
  stage:
    | 'account-setup'
    | 'phone-verification'
    | 'application'
    | 'review'
    | 'agreement'
    | 'provisioning'
    | 'ended';
  codeSent: boolean;
  credit: boolean;
  offered: boolean;
}

/** Answers like the enrollment's actions: the stage the update left. */
export const baselineStep = defineUpdate<{ stage: BaselineView['stage']; message: string }, [BaselineStep]>(
  'step',
);
export const baselineState = defineQuery<BaselineView>('state');

export interface BaselineActivities {
  noop(input: { step: string }): Promise<string>;
}

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

/** The stage each step is taken in; any other is refused, as the enrollment refuses out of turn. */
const STEP_STAGE: Record<BaselineStep, BaselineView['stage']> = {
  'phone-code': 'phone-verification',
  application: 'application',
  claim: 'review',
  decide: 'review',
  accept: 'agreement',
};

export async function baseline(): Promise<string> {
  const view: BaselineView = { stage: 'account-setup', codeSent: false, credit: false, offered: false };
  const taken = new Set<BaselineStep>();
  // Emails and audit writes go beside the flow; the run ends once they have.
  const beside: Promise<string>[] = [];
  const mail = () => beside.push(noop({ step: 'mail' }));
  setHandler(baselineState, () => view);
  setHandler(
    baselineStep,
    async (step) => {
      taken.add(step);
      if (step === 'phone-code') {
        await noop({ step: 'check-code' });
        view.stage = 'account-setup';
      }
      if (step === 'application') view.stage = 'review';
      if (step === 'decide') view.stage = 'agreement';
      if (step === 'accept') {
        beside.push(noop({ step: 'audit' }));
        view.stage = 'provisioning';
      }
      return { stage: view.stage, message: step };
    },
    {
      validator: (step: BaselineStep) => {
        if (view.stage !== STEP_STAGE[step] || taken.has(step))
          throw new Error(`${step} refused in ${view.stage}`);
      },
    },
  );
  await noop({ step: 'work-account' });
  await noop({ step: 'phone-check' });
  await noop({ step: 'sms' });
  view.stage = 'phone-verification';
  view.codeSent = true;
  await condition(() => taken.has('phone-code') && view.stage !== 'phone-verification', '7 days');
  await noop({ step: 'partner-account' });
  mail();
  view.stage = 'application';
  await condition(() => taken.has('application'), '7 days');
  await noop({ step: 'mpn' });
  await noop({ step: 'submit-application' });
  mail();
  await noop({ step: 'credit' });
  view.credit = true;
  await condition(() => taken.has('decide'), '3 days');
  await noop({ step: 'agreement-offer' });
  mail();
  view.offered = true;
  await condition(() => taken.has('accept'), '7 days');
  await noop({ step: 'record-acceptance' });
  await noop({ step: 'start-provisioning' });
  await noop({ step: 'await-provisioning' });
  mail();
  await noop({ step: 'account-settings' });
  mail();
  beside.push(noop({ step: 'audit' }));
  await Promise.all(beside);
  await noop({ step: 'audit' });
  await noop({ step: 'audit' });
  view.stage = 'ended';
  return 'completed';
}
