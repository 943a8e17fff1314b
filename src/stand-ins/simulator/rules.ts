/**
 * The simulator's outcomes, chosen only by input so tests and demos can aim at a path
 * (docs/simulator.md lists them). Pure functions: the server supplies state and the clock.
 */
import { createHash } from 'node:crypto';
import { TENANT_DOMAIN_SUFFIX } from '../../domain/enrollment';
import { GUIDE_DEFAULTS } from '../../domain/links';
import type { CreditReport, MpnMembership, ProvisioningState } from '../../integrations/contracts';

export const MPN_JOIN_URL = GUIDE_DEFAULTS.mpnJoin;
export { TENANT_DOMAIN_SUFFIX };

/**
 * Work accounts that exist before any enrollment (docs/simulator.md): organizations that sign in
 * with their own account, one of them already a Partner Center partner.
 */
export const PRE_EXISTING_TENANTS = [
  {
    domain: 'shyunfan.partner.onmschina.cn',
    companyName: 'Shanghai Yunfan Technology Co., Ltd.',
    registrationNumber: '91310000MA1FL8XQ4L',
    globalAdmins: [
      { email: 'wei.zhang@yunfan.example.cn', signInName: 'wei.zhang@shyunfan.partner.onmschina.cn' },
    ],
  },
  {
    domain: 'jinghua-cloud.partner.onmschina.cn',
    companyName: 'Beijing Jinghua Cloud Services Co., Ltd.',
    registrationNumber: '91110000MA01JH8C2X',
    globalAdmins: [
      { email: 'li.ming@jinghua.example.cn', signInName: 'li.ming@jinghua-cloud.partner.onmschina.cn' },
    ],
    partnerAccount: true,
  },
  {
    domain: 'contoso-cn.partner.onmschina.cn',
    companyName: 'Contoso (China) Co., Ltd.',
    registrationNumber: '91310115MA1K4C0N7Y',
    globalAdmins: [
      { email: 'admin@contoso.example.cn', signInName: 'admin@contoso-cn.partner.onmschina.cn' },
    ],
  },
] as const;

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
  // The bureau's record of the registration number: the same name, unless the company was renamed.
  const registeredName = name.includes('renamed')
    ? `${companyName
        .replace(/renamed/gi, '')
        .replace(/\s+/g, ' ')
        .trim()} (former name)`
    : companyName;
  if (name.includes('declined')) {
    return {
      decision: 'declined',
      score: 310,
      riskBand: 'high',
      registeredName,
      reason: 'Unresolved court judgments on record (simulated)',
    };
  }
  if (name.includes('risky')) return { decision: 'approved', score: 420, riskBand: 'high', registeredName };
  // 600..849 by a stable hash; 700 and above is low risk.
  const score = 600 + (parseInt(digest(name, registrationNumber).slice(0, 8), 16) % 250);
  return { decision: 'approved', score, riskBand: score >= 700 ? 'low' : 'medium', registeredName };
}

/**
 * Partner Center asks for phone verification when it creates an account for a work account made
 * during an enrollment; an established (pre-existing) work account is trusted, unless the company
 * name contains "Verify".
 */
export function phoneVerificationRequired(tenantCreatedByEnrollment: boolean, companyName: string): boolean {
  return tenantCreatedByEnrollment || companyName.toLowerCase().includes('verify');
}

/** Companies whose name contains "QuickStart" have done the getting-started tasks by the time the account is ready. */
export function tasksDoneAtOnce(companyName: string): boolean {
  return companyName.toLowerCase().includes('quickstart');
}

export function mpnMembership(mpnId: string): MpnMembership {
  return { member: !mpnId.startsWith('9'), joinUrl: MPN_JOIN_URL };
}

/** Six digits from the request, never "000000", so a test can both predict and read it. */
export function verificationCode(verificationId: string): string {
  const n = parseInt(digest('sms-code', verificationId).slice(0, 10), 16) % 1_000_000;
  return n === 0 ? '000001' : String(n).padStart(6, '0');
}

/** Domain prefixes starting with "taken" are registered to someone else (besides every existing domain). */
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
  name: '21Vianet CSP reseller agreement',
  version: '2025-01-CN',
  url: 'https://partner.partnercenter.microsoftonline.cn/agreements/21vianet-csp-reseller-agreement/2025-01-CN',
  text:
    '21Vianet CSP reseller agreement for the 21Vianet China Cloud Solution Provider program, version 2025-01-CN. ' +
    'Simulated text: the partner agrees to resell Microsoft Azure and Microsoft 365 operated by 21Vianet.',
};
