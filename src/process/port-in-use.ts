/**
 * A start-up that failed because one of its ports is taken, said in words that name the setting to
 * change: Node says `listen EADDRINUSE: address already in use 127.0.0.1:8080`, the Temporal CLI
 * `listen tcp 127.0.0.1:8233: bind: address already in use`, the SDK's metrics exporter only
 * `Address already in use`.
 */

/** `ports`: the program's port settings by name (unset ones undefined). */
export function explainPortInUse(message: string, ports: Record<string, number | undefined>): string {
  if (!/address already in use/i.test(message)) return message;
  const mentioned = [...message.matchAll(/:(\d{1,5})\b/g)].map((match) => Number(match[1]));
  const setting = /metrics exporter/i.test(message)
    ? Object.keys(ports).find((name) => /METRICS_PORT$/.test(name))
    : Object.keys(ports).find((name) => ports[name] !== undefined && mentioned.includes(ports[name]));
  if (!setting || ports[setting] === undefined) return message;
  return `port ${ports[setting]} is in use (${setting}): stop what holds it, or set ${setting} to a free port`;
}
