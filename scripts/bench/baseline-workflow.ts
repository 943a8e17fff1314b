/**
 * The bench's baseline: the enrollment's happy-path shape with no business logic. The same
 * number of activities (14), updates (5) and timers (4 waits with a deadline), so the ratio of
 * the two throughputs shows what the enrollment's own code costs.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const baselineStep = defineUpdate<number, [string]>('step');
export const baselineState = defineQuery<{ steps: number; stage: number }>('state');

export interface BaselineActivities {
  noop(input: { step: string }): Promise<string>;
}

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function baseline(): Promise<string> {
  let steps = 0;
  let stage = 0;
  setHandler(baselineState, () => ({ steps, stage }));
  setHandler(baselineStep, (name) => {
    steps += 1;
    return steps + name.length * 0;
  });
  const waitFor = async (n: number) => {
    stage += 1;
    await condition(() => steps >= n, '30 days');
  };
  await noop({ step: 'work-account' });
  await noop({ step: 'partner-account' });
  await noop({ step: 'mail' });
  await noop({ step: 'sms' });
  await waitFor(1); // phone code
  await noop({ step: 'check-code' });
  await waitFor(2); // application
  await noop({ step: 'mail' });
  await noop({ step: 'mpn' });
  await noop({ step: 'credit' });
  await waitFor(4); // claim and decide
  await noop({ step: 'mail' });
  await noop({ step: 'agreement-offer' });
  stage += 1;
  await waitFor(5); // accept
  await noop({ step: 'record-acceptance' });
  await noop({ step: 'start-provisioning' });
  await noop({ step: 'await-provisioning' });
  await noop({ step: 'mail' });
  return 'completed';
}
