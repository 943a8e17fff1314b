/**
 * The Temporal server's own count of billable actions: its `action` Prometheus counter (frontend,
 * by action_type), the measure Temporal gives for estimating Temporal Cloud usage from a
 * self-hosted server. Unlike a history, it sees queries, heartbeats and rejected updates.
 */
export type ActionCounts = Record<string, number>;

export async function serverActions(metricsUrl: string, namespace: string): Promise<ActionCounts> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: ActionCounts = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('action{')) continue;
    const labels = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
    if (!labels.includes(`namespace="${namespace}"`)) continue;
    const type = /action_type="([^"]+)"/.exec(labels)?.[1] ?? 'unknown';
    counts[type] = (counts[type] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}

export function actionsBetween(before: ActionCounts, after: ActionCounts): ActionCounts {
  return Object.fromEntries(
    Object.entries(after)
      .map(([type, n]) => [type, n - (before[type] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort(([, x], [, y]) => y - x),
  );
}
