/**
 * The guide's "Get started with Partner Center": three account-settings tasks that complete the
 * configuration of the account, then the dashboard's next tasks. Partner Center knows which are
 * done; the enrollment follows them without ever blocking the account.
 */

export const GETTING_STARTED_TASKS = [
  'verify-profiles',
  'create-user-accounts',
  'customize-catalog',
] as const;
export type GettingStartedTask = (typeof GETTING_STARTED_TASKS)[number];

/** The dashboard's overview tasks the guide lists for afterwards, in its order. */
export const NEXT_TASKS = [
  'customer-accounts',
  'customer-subscriptions',
  'billing',
  'offers-and-pricing',
  'customer-support',
] as const;
export type NextTask = (typeof NEXT_TASKS)[number];

export const noTaskDone = (): Record<GettingStartedTask, boolean> => ({
  'verify-profiles': false,
  'create-user-accounts': false,
  'customize-catalog': false,
});

export const tasksLeft = (tasks: Record<GettingStartedTask, boolean>): GettingStartedTask[] =>
  GETTING_STARTED_TASKS.filter((task) => !tasks[task]);
