/** 简体中文 (default locale). */
import { type LocaleTexts, para, paras } from '../content';

const tag = '【世纪互联 CSP】';
const agreement = (v?: string) => `《Microsoft 合作伙伴协议》${v ? `（版本 ${v}）` : ''}`;

export const zhCN: LocaleTexts = {
  greeting: (name) => (name ? `${name}，您好：` : '您好：'),
  reference: (id) => `申请编号：${id}`,
  signOff: ['此致', '世纪互联云解决方案提供商（CSP）计划团队'],
  automated: '此邮件由系统自动发送，请勿直接回复。',
  templates: {
    'account-created': (p) => ({
      subject: `${tag}${p.companyName} 的合作伙伴账户已创建`,
      body: paras(
        para(`我们已为 ${p.companyName} 创建合作伙伴工作账户。`),
        para(`登录名：${p.signInName}`),
        para('请妥善保管您的登录名，并通过以下地址登录：', { link: p.signInUrl! }),
        para('出于安全考虑，我们绝不会通过邮件发送密码。请在登录页面按提示设置密码。'),
      ),
    }),
    'application-reminder': (p) => ({
      subject: `${tag}请完成 ${p.companyName} 的申请`,
      body: paras(
        para(
          `${p.companyName} 的 CSP 计划申请尚未完成。请在 ${p.dueAtText} 之前完成并提交，否则申请将过期。`,
        ),
      ),
    }),
    'application-received': (p) => ({
      subject: `${tag}我们已收到 ${p.companyName} 的申请`,
      body: paras(
        para(`感谢您提交 ${p.companyName} 的 CSP 计划申请。`),
        para('我们将进行资信审核和资料审核，并通过邮件通知您结果。'),
      ),
    }),
    'information-requested': (p) => ({
      subject: `${tag}${p.companyName} 的申请需要补充信息`,
      body: paras(
        para('审核人员需要您补充以下信息：'),
        para(`“${p.question}”`),
        p.dueAtText !== undefined && para(`请在 ${p.dueAtText} 之前回复。`),
      ),
    }),
    'review-reminder': (p) => ({
      subject: `${tag}待审核：${p.companyName}`,
      body: paras(
        para(`${p.companyName} 的 CSP 计划申请正在等待您的审核。`),
        p.dueAtText !== undefined && para(`请在 ${p.dueAtText} 之前完成审核。`),
      ),
    }),
    'review-escalated': (p) => ({
      subject: `${tag}审核已升级：${p.companyName}`,
      body: paras(para(`${p.companyName} 的申请未能在规定时间内完成审核，现已升级由您处理。`)),
    }),
    approved: (p) => ({
      subject: `${tag}${p.companyName} 的申请已获批准`,
      body: paras(
        para(`恭喜！${p.companyName} 的 CSP 计划申请已获批准。`),
        para(`下一步：请登录并接受${agreement(p.agreementVersion)}。`),
      ),
    }),
    rejected: (p) => ({
      subject: `${tag}${p.companyName} 的申请未获批准`,
      body: paras(
        para(`很遗憾，${p.companyName} 的 CSP 计划申请未获批准。`),
        p.reason !== undefined && para(`原因：${p.reason}`),
        p.joinUrl !== undefined && para('加入 Microsoft 合作伙伴网络后，欢迎重新申请：', { link: p.joinUrl }),
      ),
    }),
    'agreement-reminder': (p) => ({
      subject: `${tag}请接受合作伙伴协议`,
      body: paras(
        para(
          `${p.companyName} 尚未接受${agreement(p.agreementVersion)}。请在 ${p.dueAtText} 之前接受，否则申请将关闭。`,
        ),
      ),
    }),
    'agreement-lapsed': (p) => ({
      subject: `${tag}${p.companyName} 的申请已关闭`,
      body: paras(
        para(`由于未在期限内接受${agreement(p.agreementVersion)}，${p.companyName} 的申请已关闭。`),
        para('如仍希望加入，请重新提交申请。'),
      ),
    }),
    'account-ready': (p) => ({
      subject: `${tag}${p.companyName} 的 CSP 账户已开通`,
      body: paras(
        para(`${p.companyName} 的 CSP 合作伙伴账户已开通，现在即可使用。`),
        p.signInName !== undefined && para(`登录名：${p.signInName}`),
        para('登录地址：', { link: p.signInUrl! }),
      ),
    }),
    withdrawn: (p) => ({
      subject: `${tag}${p.companyName} 的申请已撤回`,
      body: paras(
        para(`${p.companyName} 的 CSP 计划申请已撤回。`),
        p.reason !== undefined && para(`原因：${p.reason}`),
      ),
    }),
    expired: (p) => ({
      subject: `${tag}${p.companyName} 的申请已过期`,
      body: paras(
        para(`${p.companyName} 的 CSP 计划申请已过期。`),
        p.reason !== undefined && para(`原因：${p.reason}`),
        para('如仍希望加入，请重新提交申请。'),
      ),
    }),
  },
};
