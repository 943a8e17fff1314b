/** Realistic enrollment data for tests. */
import type { Actor } from '../src/domain/actions';
import type { CspApplication, EnrollmentRequestInput } from '../src/domain/enrollment';

let counter = 0;

/** A unified social credit code that is unique per call, so each test enrolls its own organization. */
export function registrationNumber(): string {
  counter += 1;
  const serial = `${Date.now().toString(36).toUpperCase()}${counter.toString(36).toUpperCase()}`.replace(
    /[IOZSV]/g,
    'A',
  );
  return `91310000${serial}`.padEnd(18, '0').slice(0, 18);
}

export function enrollmentRequest(overrides: Partial<EnrollmentRequestInput> = {}): EnrollmentRequestInput {
  return {
    organization: {
      name: 'Shanghai Yunfan Technology Co., Ltd.',
      registrationNumber: registrationNumber(),
      domainPrefix: 'yunfan',
    },
    globalAdmin: {
      firstName: 'Wei',
      lastName: 'Zhang',
      email: 'wei.zhang@yunfan.example.cn',
      mobile: '+86 139 1234 5678',
    },
    locale: 'zh-CN',
    ...overrides,
  };
}

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
