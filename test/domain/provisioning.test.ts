import { nextProvisioningCheckMs } from '../../src/domain/provisioning';

function waits(pollEveryMs: number, count: number): number[] {
  const all: number[] = [];
  let wait: number | undefined;
  for (let i = 0; i < count; i++) all.push((wait = nextProvisioningCheckMs(wait, pollEveryMs)));
  return all;
}

test('the default minute: looked at again after 5 s, then twice as long each time, at most a minute', () => {
  expect(waits(60_000, 7)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
});

test('an hour: the first wait is 5 minutes', () => {
  expect(waits(3_600_000, 6)).toEqual([300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000]);
});

test('short policies keep their pace: never under 1 s, never over pollEvery', () => {
  expect(waits(200, 3)).toEqual([200, 200, 200]);
  expect(waits(6_000, 4)).toEqual([1_000, 2_000, 4_000, 6_000]);
});
