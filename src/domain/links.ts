/**
 * The addresses the enrollment guide gives, quoted in emails. Configuration may replace each one
 * (src/config); these are the guide's own.
 */
import type { GettingStartedTask, NextTask } from './getting-started';

export interface GuideLinks {
  /** Step 1: where the enrollment starts. */
  enrollment: string;
  /** Step 6: the Partner Center dashboard, where the global admin signs in and accepts the agreement. */
  dashboard: string;
  /** "Before you begin": where a non-member joins the Microsoft Partner Network. */
  mpnJoin: string;
  /** "Get started": how-to for each account-settings task. */
  tasks: Record<GettingStartedTask, string>;
  /** "Get started": the dashboard overview's next tasks. */
  next: Record<NextTask, string>;
}

export interface GuideLinkSettings {
  enrollment?: string;
  dashboard?: string;
  mpnJoin?: string;
  /** Where the guide's how-to articles for the account-settings tasks live. */
  howToBase?: string;
  /** Where the guide's relative links (customer accounts, billing, …) resolve. */
  docsBase?: string;
}

export const GUIDE_DEFAULTS = {
  enrollment: 'https://partner.partnercenter.microsoftonline.cn/register/resellercnjoinnow',
  dashboard: 'https://partner.partnercenter.microsoftonline.cn/pcv/dashboard/overview',
  mpnJoin: 'https://partners.microsoft.com/PartnerProgram/simplifiedenrollment.aspx',
  howToBase: 'https://msdn.microsoft.com/partner-china/',
  // The guide's relative links resolve against its own place in the Partner Center documentation.
  docsBase: 'https://docs.microsoft.com/partner-center/',
} as const satisfies Required<GuideLinkSettings>;

const under = (base: string, page: string) => `${base.endsWith('/') ? base : `${base}/`}${page}`;

export function guideLinks(settings: GuideLinkSettings = {}): GuideLinks {
  const { enrollment, dashboard, mpnJoin, howToBase, docsBase } = { ...GUIDE_DEFAULTS, ...settings };
  return {
    enrollment,
    dashboard,
    mpnJoin,
    tasks: {
      'verify-profiles': under(howToBase, 'update-your-partner-profile'),
      'create-user-accounts': under(howToBase, 'create-user-accounts-and-set-permissions'),
      'customize-catalog': under(howToBase, 'customize-the-catalog'),
    },
    next: {
      'customer-accounts': under(docsBase, 'customer-accounts'),
      'customer-subscriptions': under(docsBase, 'customer-subscriptions'),
      billing: under(docsBase, 'billing'),
      'offers-and-pricing': under(docsBase, 'see-offers-and-pricing'),
      'customer-support': under(docsBase, 'customer-support'),
    },
  };
}

export const GUIDE_LINKS: GuideLinks = guideLinks();
