/** What the simulated services were asked, so tests can count creations and replays. */
import type { FaultDecision, ServiceName } from './faults';

export interface LedgerEntry {
  service: ServiceName;
  /** The contract method, e.g. "createWorkAccount". */
  operation: string;
  idempotencyKey: string | null;
  /** True when an earlier answer for the same Idempotency-Key was returned and nothing was created. */
  replayed: boolean;
  /** HTTP status the service answered (or would have, for a timeout fault). */
  status: number;
  /** Set when an injected fault shaped this call. */
  fault?: Exclude<FaultDecision, 'none'>;
  at: string;
}

/** Operations that create something and therefore require an Idempotency-Key. */
export const CREATE_OPERATIONS = [
  'checkSolvency',
  'createWorkAccount',
  'createPartnerAccount',
  'recordAgreementAcceptance',
  'startProvisioning',
  'submitCspApplication',
  'startVerification',
] as const;

export class Ledger {
  private items: LedgerEntry[] = [];

  record(entry: LedgerEntry): void {
    this.items.push(entry);
  }

  entries(): LedgerEntry[] {
    return this.items.map((e) => ({ ...e }));
  }

  /** Successful first-time calls of a creating operation: what was really created. */
  creations(operation: string): number {
    return this.items.filter((e) => e.operation === operation && isCreation(e)).length;
  }

  replays(operation: string): number {
    return this.items.filter((e) => e.operation === operation && e.replayed).length;
  }

  /** Creations per creating operation, zeros included. */
  creationCounts(): Record<string, number> {
    return Object.fromEntries(CREATE_OPERATIONS.map((op) => [op, this.creations(op)]));
  }

  clear(): void {
    this.items = [];
  }
}

function isCreation(e: LedgerEntry): boolean {
  return (
    !e.replayed &&
    e.status >= 200 &&
    e.status < 300 &&
    (CREATE_OPERATIONS as readonly string[]).includes(e.operation)
  );
}
