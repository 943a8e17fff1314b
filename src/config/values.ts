/**
 * How every process reads the two kinds of setting it shares with the others: comma-separated lists
 * and ports. One reading, so `a, b,` means the same to the worker, the API and the stand-ins.
 */
import { z } from 'zod';
import { describeIssues } from '../domain/actions';

/** `a, b,,c` → `['a', 'b', 'c']`: items trimmed, empty ones dropped. */
export function commaList(spec: string | undefined): string[] {
  return (spec ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A comma-separated list setting. */
export const listSetting = z.string().transform(commaList);

/** A TCP port setting; 0 lets the system pick one. */
export const portSetting = z.coerce.number().int().min(0).max(65535);

/** A stand-in's settings from its environment; a variable set empty counts as unset. */
export function settingsFrom<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
  if (!parsed.success) throw new Error(`invalid ${what} settings: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
