/** Requests the suites' shared dev server has served so far, by operation (its Prometheus counters). */
export async function frontendRequests(operation: string): Promise<number> {
  const text = await (await fetch(process.env.CSP_TEST_TEMPORAL_METRICS!)).text();
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('service_requests{') &&
        line.includes(`operation="${operation}"`) &&
        line.includes('service_name="frontend"'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
