/**
 * The simulator's outcomes, chosen only by input so tests and demos can aim at a path
 * (docs/simulator.md lists them). Pure functions: the server supplies state and the clock.
 */
import { createHash } from 'node:crypto';
import type { CreditReport, MpnMembership, ProvisioningState } from '../contracts';

export const MPN_JOIN_URL = 'https://partner.microsoftonline.cn/mpn/join';
export const TENANT_DOMAIN_SUFFIX = 'partner.onmschina.cn';

export function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** Stable IDs from the idempotency key: the same request gives the same ID, even after a reset. */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${digest(prefix, ...parts).slice(0, 20)}`;
}

/** Azure AD tenant IDs are GUIDs; derive one the same way. */
export function stableGuid(...parts: string[]): string {
  const h = digest('guid', ...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function creditOutcome(
  companyName: string,
  registrationNumber: string,
): Omit<CreditReport, 'reportReference'> {
  const name = companyName.toLowerCase();
  if (name.includes('declined')) {
    return {
      decision: 'declined',
      score: 310,
      riskBand: 'high',
      reason: 'Unresolved court judgments on record (simulated)',
    };
  }
  if (name.includes('risky')) return { decision: 'approved', score: 420, riskBand: 'high' };
  // 600..849 by a stable hash; 700 and above is low risk.
  const score = 600 + (parseInt(digest(name, registrationNumber).slice(0, 8), 16) % 250);
  return { decision: 'approved', score, riskBand: score >= 700 ? 'low' : 'medium' };
}

export function mpnMembership(mpnId: string): MpnMembership {
  return { member: !mpnId.startsWith('9'), joinUrl: MPN_JOIN_URL };
}

/** Six digits from the request, never "000000", so a test can both predict and read it. */
export function verificationCode(verificationId: string): string {
  const n = parseInt(digest('sms-code', verificationId).slice(0, 10), 16) % 1_000_000;
  return n === 0 ? '000001' : String(n).padStart(6, '0');
}

/** Domain prefixes starting with "taken" are already registered to someone else. */
export function isDomainTaken(domainPrefix: string): boolean {
  return domainPrefix.startsWith('taken');
}

/** The first attempt for a company whose name contains "ProvisionFail" fails; later ones succeed. */
export function provisioningFails(companyName: string, attempt: number): boolean {
  return attempt === 1 && companyName.toLowerCase().includes('provisionfail');
}

/** pending for the first quarter of the duration, in-progress for the rest, then the outcome. */
export function provisioningState(elapsedMs: number, durationMs: number, fails: boolean): ProvisioningState {
  if (elapsedMs >= durationMs) return fails ? 'failed' : 'ready';
  return elapsedMs < durationMs / 4 ? 'pending' : 'in-progress';
}

export const PROVISIONING_FAILURE_REASON = 'Tenant provisioning timed out in region China East 2 (simulated)';

export const DEFAULT_AGREEMENT = {
  version: '2025-01-CN',
  url: 'https://partner.microsoftonline.cn/agreements/microsoft-partner-agreement/2025-01-CN',
  text:
    'Microsoft Partner Agreement for the 21Vianet China Cloud Solution Provider program, version 2025-01-CN. ' +
    'Simulated text: the partner agrees to resell Microsoft Azure and Microsoft 365 operated by 21Vianet.',
};
