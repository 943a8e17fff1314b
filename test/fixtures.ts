/** Realistic enrollment data for tests. */
import { randomInt } from 'node:crypto';
import type { Actor } from '../src/domain/actions';
import type { CspApplication, EnrollmentRequestInput } from '../src/domain/enrollment';

/** The symbols of a unified social credit code (digits and capitals but I, O, Z, S, V). */
const CODE_SYMBOLS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const inCodeSymbols = (value: number, width: number) =>
  Array.from(
    { length: width },
    (_, i) => CODE_SYMBOLS[Math.floor(value / CODE_SYMBOLS.length ** (width - 1 - i)) % CODE_SYMBOLS.length],
  ).join('');

// A random tag per test process, then a counter: unique per call (28 million of them), and apart
// from other processes' and earlier runs' on a shared server. (Time-based serials collided: many
// enrollments are made within one millisecond, and folding letters merged counters.)
const processTag = inCodeSymbols(randomInt(CODE_SYMBOLS.length ** 5), 5);
let counter = 0;

/** A unified social credit code that is unique per call, so each test enrolls its own organization. */
export function registrationNumber(): string {
  counter += 1;
  return `91310000${processTag}${inCodeSymbols(counter, 5)}`;
}

export function enrollmentRequest(overrides: Partial<EnrollmentRequestInput> = {}): EnrollmentRequestInput {
  const number = registrationNumber();
  return {
    organization: {
      name: 'Shanghai Yunfan Technology Co., Ltd.',
      registrationNumber: number,
      // The organization's mobile in China: codes come by SMS.
      phone: '+86 139 1234 5678',
      // A prefix of its own per test, so no two tests' work accounts meet.
      workAccount: { kind: 'new', domainPrefix: `yunfan-${number.slice(8).toLowerCase()}` },
    },
    globalAdmin: {
      firstName: 'Wei',
      lastName: 'Zhang',
      email: 'wei.zhang@yunfan.example.cn',
    },
    locale: 'zh-CN',
    ...overrides,
  };
}

/** The organization's landline: codes come by voice call. */
export const LANDLINE = '+86 21 6888 1234';

export function cspApplication(overrides: Partial<CspApplication> = {}): CspApplication {
  return {
    mpnId: '6123456',
    businessProfile: {
      legalName: 'Shanghai Yunfan Technology Co., Ltd.',
      legalRepresentative: 'Li Na',
      address: {
        province: 'Shanghai',
        city: 'Shanghai',
        street: '88 Century Avenue, Pudong',
        postalCode: '200120',
      },
    },
    approvalContacts: [
      { firstName: 'Na', lastName: 'Li', email: 'li.na@yunfan.example.cn', phone: '+86 21 6888 1234' },
    ],
    customerSupport: {
      url: 'https://support.yunfan.example.cn',
      email: 'support@yunfan.example.cn',
      phone: '+86 400 820 1234',
    },
    ...overrides,
  };
}

export const applicant: Actor = { id: 'wei.zhang', role: 'applicant' };
export const reviewer: Actor = { id: 'reviewer-1', role: 'reviewer' };
export const secondReviewer: Actor = { id: 'reviewer-2', role: 'reviewer' };
export const reviewLead: Actor = { id: 'lead-1', role: 'review-lead' };

/** A small but real PDF, with a marker to look for in places it must not be. */
export function pdf(marker = 'BUSINESS-LICENCE-91310000MA1FL8XQ3K'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${marker}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);
