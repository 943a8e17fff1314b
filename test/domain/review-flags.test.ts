/**
 * What reviewers are shown to look at twice: the application's legal name against the
 * organization's name and against the name the credit bureau has on record for the registration
 * number, compared as a person would compare them; and a high credit risk.
 */
import { reviewFlags, sameName } from '../../src/domain/review-flags';

const ORGANIZATION = 'Shanghai Yunfan Technology Co., Ltd.';

describe('names compared as a person would', () => {
  it.each([
    ['case and spacing', 'SHANGHAI  yunfan technology co., ltd.'],
    ['punctuation', 'Shanghai Yunfan Technology Co Ltd'],
    ['"Company Limited" for "Co., Ltd."', 'Shanghai Yunfan Technology Company Limited'],
    ['full-width letters', 'Ｓｈａｎｇｈａｉ Ｙｕｎｆａｎ Ｔｅｃｈｎｏｌｏｇｙ Ｃｏ．， Ｌｔｄ．'],
  ])('the same name whatever its %s', (_what, written) => {
    expect(sameName(written, ORGANIZATION)).toBe(true);
  });

  it('Chinese names with full-width punctuation and spaces', () => {
    expect(sameName('上海云帆科技有限公司', '上海 云帆科技（有限公司）')).toBe(true);
    expect(sameName('上海云帆科技有限公司', '上海云帆信息技术有限公司')).toBe(false);
  });

  it('another name is another name', () => {
    expect(sameName('Shanghai Yunfan Information Co., Ltd.', ORGANIZATION)).toBe(false);
    expect(sameName('Yunfan Technology Co., Ltd.', ORGANIZATION)).toBe(false);
  });
});

describe('review flags', () => {
  it('none when the legal name is the organization’s and the registry’s', () => {
    expect(
      reviewFlags({
        organizationName: ORGANIZATION,
        legalName: 'Shanghai Yunfan Technology Company Limited',
        registeredName: ORGANIZATION,
        riskBand: 'low',
      }),
    ).toEqual([]);
  });

  it('the legal name against the organization’s name', () => {
    expect(
      reviewFlags({
        organizationName: ORGANIZATION,
        legalName: 'Yunfan Cloud (Shanghai) Co., Ltd.',
        registeredName: 'Yunfan Cloud (Shanghai) Co., Ltd.',
      }),
    ).toEqual([
      {
        code: 'legal-name-differs-from-organization',
        detail: `legal name "Yunfan Cloud (Shanghai) Co., Ltd." differs from the organization's name "${ORGANIZATION}"`,
      },
    ]);
  });

  it('the legal name against the name the credit bureau has on record', () => {
    expect(
      reviewFlags({
        organizationName: ORGANIZATION,
        legalName: ORGANIZATION,
        registeredName: 'Shanghai Yunfan Information Co., Ltd. (former name)',
      }),
    ).toEqual([
      {
        code: 'legal-name-differs-from-registry',
        detail:
          `legal name "${ORGANIZATION}" differs from the name on record for the registration number, ` +
          '"Shanghai Yunfan Information Co., Ltd. (former name)"',
      },
    ]);
  });

  it('both, and a high credit risk, in that order', () => {
    const flags = reviewFlags({
      organizationName: ORGANIZATION,
      legalName: 'Yunfan Cloud (Shanghai) Co., Ltd.',
      registeredName: 'Shanghai Yunfan Information Co., Ltd.',
      riskBand: 'high',
    });
    expect(flags.map((flag) => flag.code)).toEqual([
      'legal-name-differs-from-organization',
      'legal-name-differs-from-registry',
      'high-credit-risk',
    ]);
  });

  it('nothing to compare, nothing flagged: no legal name yet, or no name on record', () => {
    expect(reviewFlags({ organizationName: ORGANIZATION, registeredName: 'Other Co., Ltd.' })).toEqual([]);
    expect(reviewFlags({ organizationName: ORGANIZATION, legalName: ORGANIZATION })).toEqual([]);
    expect(reviewFlags({ organizationName: ORGANIZATION, riskBand: 'medium' })).toEqual([]);
  });
});
