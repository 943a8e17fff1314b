/**
 * What a worker's codec hands the workflow in place of a payload that is not sealed with a key of
 * the service (plain JSON from a client without the keys, a tampered or broken seal): a value
 * every action refuses by name, so such a request is answered "refused" and changes nothing,
 * instead of failing workflow tasks. Imported by workflow code: no Node APIs here.
 */
export const UNSEALED_FIELD = 'cspUnsealedPayload';

export interface UnsealedPayload {
  [UNSEALED_FIELD]: string;
}

export const unsealedReason = (why: string) =>
  `refused: the input is not sealed with a payload key of this service (${why})`;

export function isUnsealed(value: unknown): value is UnsealedPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>)[UNSEALED_FIELD] === 'string'
  );
}
