/**
 * What reviewers should look at twice: where the application's data disagree with each other or
 * with the credit bureau's record, and a high credit risk. Pure rules; the workflow keeps the result.
 */
import type { ReviewFlag, RiskBand } from './status';

export type { ReviewFlag };
export type ReviewFlagCode = ReviewFlag['code'];

/**
 * Names compared as a person would: case, width (ＡＢＣ), punctuation and spacing ignored, and the
 * usual ways of writing "Co., Ltd." taken as one.
 */
export function sameName(a: string, b: string): boolean {
  return comparable(a) === comparable(b);
}

function comparable(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\bcompany\b/g, 'co')
    .replace(/\blimited\b/g, 'ltd')
    .replace(/\bcorporation\b/g, 'corp')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function reviewFlags(facts: {
  organizationName: string;
  legalName?: string;
  registeredName?: string;
  riskBand?: RiskBand;
}): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  const { organizationName, legalName, registeredName, riskBand } = facts;
  if (legalName && !sameName(legalName, organizationName)) {
    flags.push({
      code: 'legal-name-differs-from-organization',
      detail: `legal name "${legalName}" differs from the organization's name "${organizationName}"`,
    });
  }
  if (legalName && registeredName && !sameName(legalName, registeredName)) {
    flags.push({
      code: 'legal-name-differs-from-registry',
      detail: `legal name "${legalName}" differs from the name on record for the registration number, "${registeredName}"`,
    });
  }
  if (riskBand === 'high')
    flags.push({
      code: 'high-credit-risk',
      detail: 'high credit risk: two different reviewers must approve',
    });
  return flags;
}
