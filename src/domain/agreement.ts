/** The agreement the global admin signs at the guide's step 6, by its name in each language. */
import type { Locale } from './notifications';

export const AGREEMENT_NAME = '21Vianet CSP reseller agreement';

export const AGREEMENT_NAMES: Record<Locale, string> = {
  'zh-CN': '世纪互联 CSP 经销商协议',
  'en-US': 'the 21Vianet CSP reseller agreement',
  'fr-FR': 'le contrat de revendeur CSP 21Vianet',
};

/** A signer is the global admin when the emails match, whatever their case. */
export const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
