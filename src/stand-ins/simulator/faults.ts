/**
 * Fault injection for the simulated services (never for /__simulator/*). Random faults draw from
 * a seeded generator so a failing run can be repeated with the same seed.
 */
import type { FaultsBody } from './schemas';

export type ServiceName = 'credit-bureau' | 'partner-center' | 'sms';

export interface FaultSettings {
  /** Share of calls answered 503, 0..1. */
  errorRate: number;
  /** Share of calls whose answer is held past any sane client timeout, 0..1. */
  timeoutRate: number;
  /** Added before every service call. */
  latencyMs: number;
  /** How long a timeout fault holds the answer before dropping the connection. */
  hangMs: number;
  /** ISO time until which every call answers 503; null for none. */
  outageUntil: string | null;
  /** Services the faults apply to; empty means all. */
  services: ServiceName[];
  seed: number;
}

export const DEFAULT_FAULTS: FaultSettings = {
  errorRate: 0,
  timeoutRate: 0,
  latencyMs: 0,
  hangMs: 30_000,
  outageUntil: null,
  services: [],
  seed: 1,
};

export type FaultDecision = 'none' | 'outage' | 'error' | 'timeout';

export class FaultInjector {
  private readonly initial: FaultSettings;
  private settings: FaultSettings;
  private random: () => number;

  constructor(initial: Partial<FaultSettings> = {}) {
    this.initial = { ...DEFAULT_FAULTS, ...initial };
    for (const rate of ['errorRate', 'timeoutRate'] as const) {
      const value = this.initial[rate];
      if (!(value >= 0 && value <= 1))
        throw new Error(`simulator: ${rate} must be between 0 and 1, got ${value}`);
    }
    this.settings = this.initial;
    this.random = mulberry32(this.settings.seed);
  }

  get current(): FaultSettings {
    return { ...this.settings, services: [...this.settings.services] };
  }

  update(change: FaultsBody, now: number): FaultSettings {
    const { outageForMs, ...rest } = change;
    const next: FaultSettings = { ...this.settings };
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
    }
    if (outageForMs !== undefined) next.outageUntil = new Date(now + outageForMs).toISOString();
    this.settings = next;
    if (change.seed !== undefined) this.random = mulberry32(change.seed);
    return this.current;
  }

  /** Back to the settings the simulator was started with. */
  reset(): void {
    this.settings = this.initial;
    this.random = mulberry32(this.settings.seed);
  }

  decide(service: ServiceName, now: number): FaultDecision {
    const { services, outageUntil, errorRate, timeoutRate } = this.settings;
    if (services.length > 0 && !services.includes(service)) return 'none';
    if (outageUntil !== null && now < Date.parse(outageUntil)) return 'outage';
    // Draw only when a rate is set, so enabling faults later does not shift earlier sequences.
    if (errorRate > 0 && this.random() < errorRate) return 'error';
    if (timeoutRate > 0 && this.random() < timeoutRate) return 'timeout';
    return 'none';
  }
}

/** Small, fast, seedable PRNG (mulberry32); quality is ample for fault rates and test schedules. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
