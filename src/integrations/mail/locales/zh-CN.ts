/** 简体中文 (default locale). */
import { GETTING_STARTED_TASKS, NEXT_TASKS } from '../../../domain/getting-started';
import { type LocaleTexts, type Params, linkList, para, paras } from '../content';

const tag = '【世纪互联 CSP】';
const AGREEMENT = '《世纪互联 CSP 经销商协议》';
const agreement = (v?: string) => `${AGREEMENT}${v ? `（版本 ${v}）` : ''}`;

const tasks: LocaleTexts['tasks'] = {
  'verify-profiles': '核实或更新贵组织的法律、账单和组织资料',
  'create-user-accounts': '为在合作伙伴中心工作的员工创建用户账户并分配权限',
  'customize-catalog': '查看并自定义贵组织提供的服务目录',
};
const failures: LocaleTexts['failures'] = {
  'phone-codes-used-up': '贵组织的电话号码未能完成验证：所有验证码均已用完，且未输入正确的验证码',
  'work-account': '未能在合作伙伴中心设置您的工作账户',
  'phone-verification': '未能完成电话验证',
  'partner-account': '未能创建您的合作伙伴中心账户',
  application: '未能检查您的申请并将其提交到合作伙伴中心',
  'credit-check': '未能完成信用检查',
  agreement: '未能在合作伙伴中心记录您签署的协议',
  provisioning: '未能配置您的合作伙伴中心账户',
  'getting-started': '未能跟进您账户的入门任务',
  technical: '注册无法继续',
};
const nextTasks: LocaleTexts['nextTasks'] = {
  'customer-accounts': '创建和管理客户账户',
  'customer-subscriptions': '添加和管理客户订阅',
  billing: '了解账单流程',
  'offers-and-pricing': '查看产品及价格',
  'customer-support': '获取技术支持并为客户提供支持',
};
const taskLinks = (p: Params, which = p.tasksLeft ?? [...GETTING_STARTED_TASKS]) =>
  linkList(
    which.map((task) => [tasks[task], p.links.tasks[task]]),
    '：',
  );
const nextTaskLinks = (p: Params) =>
  linkList(
    NEXT_TASKS.map((task) => [nextTasks[task], p.links.next[task]]),
    '：',
  );
const caseLink = (p: Params) => p.caseUrl !== undefined && para('查看案件：', { link: p.caseUrl });
const startAgain = (p: Params) => para('您可随时重新开始注册：', { link: p.links.enrollment });

export const zhCN: LocaleTexts = {
  greeting: (name) => (name ? `${name}，您好：` : '您好：'),
  reference: (id) => `注册编号：${id}`,
  signOff: ['此致', '世纪互联云解决方案提供商（CSP）计划团队'],
  automated: '此邮件由系统自动发送，请勿直接回复。',
  tasks,
  nextTasks,
  failures,
  templates: {
    'account-details-needed': (p) => ({
      subject: `${tag}请更正 ${p.companyName} 的账户信息`,
      body: paras(
        para(`合作伙伴中心无法使用 ${p.companyName} 提供的账户信息：${p.reason}。`),
        para(
          '请在注册中更正：填写现有工作账户的域名，或为新账户选择其他前缀，或填写拥有全局管理员角色的人员。',
        ),
        p.dueAtText !== undefined && para(`请于 ${p.dueAtText} 之前完成。`),
      ),
    }),
    'account-created': (p) => ({
      subject: `${tag}${p.companyName} 的合作伙伴中心账户已创建`,
      body: paras(
        para(`${p.companyName} 的合作伙伴中心账户已创建。`),
        para(`登录名：${p.signInName}`),
        para('重要提示：请保存本邮件中的信息。首次登录合作伙伴中心以及申请获批后签署协议时均需使用。'),
        para('合作伙伴中心：', { link: p.links.dashboard }),
        para('出于安全考虑，我们绝不会通过邮件发送密码。请在首次登录时设置密码。'),
      ),
    }),
    'application-reminder': (p) => ({
      subject: `${tag}请完成 ${p.companyName} 的注册`,
      body: paras(
        para(
          `${p.companyName} 的 CSP 计划注册正在等待您操作。请在 ${p.dueAtText} 之前完成，否则注册将过期。`,
        ),
      ),
    }),
    'application-received': (p) => ({
      subject: `${tag}我们已收到 ${p.companyName} 的 CSP 申请`,
      body: paras(
        para(`感谢您：我们已收到 ${p.companyName} 的云解决方案提供商（CSP）申请。`),
        para(
          '我们将审核申请并进行资信（偿付能力）检查，然后通过邮件告知您是否获准在中国转售云解决方案提供商服务。',
        ),
        para('请注意，审核申请可能需要数周时间。'),
      ),
    }),
    'information-requested': (p) => ({
      subject: `${tag}${p.companyName} 的申请需要补充信息`,
      body: paras(
        para('审核人员需要您补充以下信息：'),
        para(`“${p.question}”`),
        p.documentRequested !== undefined && para(`请附上：${p.documentRequested}。`),
        p.dueAtText !== undefined && para(`请于 ${p.dueAtText} 之前回复。`),
      ),
    }),
    'review-reminder': (p) => ({
      subject: `${tag}待审核：${p.companyName}`,
      body: paras(
        para(`${p.companyName} 的 CSP 申请正在等待您审核。`),
        p.dueAtText !== undefined && para(`审核截止时间：${p.dueAtText}。`),
        caseLink(p),
      ),
    }),
    'review-escalated': (p) => ({
      subject: `${tag}审核已升级：${p.companyName}`,
      body: paras(para(`${p.companyName} 的申请未在规定时间内完成审核，现已升级给您处理。`), caseLink(p)),
    }),
    'review-overdue': (p) => ({
      subject: `${tag}审核已逾期：${p.companyName}`,
      body: paras(
        para(
          `${p.companyName} 的 CSP 申请已等待 ${p.waitingDays ?? '?'} 天仍未作出决定，审核已逾期。请督促尽快作出决定。`,
        ),
        caseLink(p),
      ),
    }),
    'incident-opened': (p) => ({
      subject: `${tag}事件：${p.companyName} 停在步骤 ${p.step}`,
      body: paras(
        para(
          `${p.companyName} 的注册停在步骤 ${p.step}：该步骤在全部重试后仍失败` +
            `${p.waitingDays ? `，已等待 ${p.waitingDays} 天` : ''}。`,
        ),
        p.reason !== undefined && para(`失败原因：${p.reason}`),
        para('请在排除原因后重新运行该步骤，或注明原因结束注册（申请人将收到通知）。'),
        caseLink(p),
      ),
    }),
    'review-in-progress': (p) => ({
      subject: `${tag}${p.companyName} 的申请仍在审核中`,
      body: paras(
        para(
          `${p.companyName} 的 CSP 申请仍在审核中${p.waitingDays !== undefined ? `（已 ${p.waitingDays} 天）` : ''}。`,
        ),
        para('审核可能需要数周时间。您目前无需任何操作，我们会通过邮件告知审核结果。'),
      ),
    }),
    approved: (p) => ({
      subject: `${tag}${p.companyName} 已获准在中国转售 CSP 服务`,
      body: paras(
        para(`恭喜！${p.companyName} 已获准在中国转售云解决方案提供商服务。`),
        para(
          `下一步：请使用创建账户时保存的凭据登录合作伙伴中心，并选择“接受并继续”以签署${agreement(p.agreementVersion)}：`,
          {
            link: p.links.dashboard,
          },
        ),
        para('此后配置您的合作伙伴中心账户可能需要几个小时。'),
      ),
    }),
    rejected: (p) => ({
      subject: `${tag}${p.companyName} 的 CSP 申请未获批准`,
      body: paras(
        para(`很遗憾，${p.companyName} 的 CSP 申请未获批准。`),
        p.reason !== undefined && para(`原因：${p.reason}`),
        p.notAMember === true &&
          para('只有 Microsoft 合作伙伴网络（MPN）成员才能注册。您可以在此加入，然后重新注册：', {
            link: p.links.mpnJoin,
          }),
        p.notAMember !== true && startAgain(p),
      ),
    }),
    'agreement-reminder': (p) => ({
      subject: `${tag}请签署${AGREEMENT}`,
      body: paras(
        para(
          `${p.companyName} 尚未签署${agreement(p.agreementVersion)}。请在 ${p.dueAtText} 之前在合作伙伴中心签署，否则注册将关闭：`,
          {
            link: p.links.dashboard,
          },
        ),
      ),
    }),
    'agreement-lapsed': (p) => ({
      subject: `${tag}${p.companyName} 的注册已关闭`,
      body: paras(
        para(`由于未在规定时间内签署${agreement(p.agreementVersion)}，${p.companyName} 的注册已关闭。`),
        startAgain(p),
      ),
    }),
    'account-ready': (p) => ({
      subject: `${tag}${p.companyName} 的合作伙伴中心账户已就绪`,
      body: paras(
        para(`${p.companyName} 的合作伙伴中心账户已配置完成，可以使用。`),
        p.signInName !== undefined && para(`登录名：${p.signInName}`),
        para('登录地址：', { link: p.links.dashboard }),
        para('要完成账户配置，请在仪表板菜单中选择“账户设置”，以便：'),
        ...taskLinks(p),
      ),
    }),
    'getting-started-reminder': (p) => ({
      subject: `${tag}请完成合作伙伴中心账户的配置`,
      body: paras(
        para(`要完成 ${p.companyName} 合作伙伴中心账户的配置，还需：`),
        ...taskLinks(p),
        para('之后，您或您的管理员可以在仪表板“概述”页面：'),
        ...nextTaskLinks(p),
      ),
    }),
    completed: (p) => ({
      subject: `${tag}${p.companyName} 的注册已完成`,
      body: paras(
        para(`${p.companyName} 已完成世纪互联 CSP 计划的注册。`),
        p.tasksLeft !== undefined && p.tasksLeft.length > 0 && para('账户设置中仍待完成：'),
        ...(p.tasksLeft?.length ? taskLinks(p) : []),
        para('现在，您或您的管理员可以在仪表板“概述”页面：'),
        ...nextTaskLinks(p),
      ),
    }),
    withdrawn: (p) => ({
      subject: `${tag}${p.companyName} 的注册已撤回`,
      body: paras(
        para(`${p.companyName} 的 CSP 计划注册已撤回。`),
        p.reason !== undefined && para(`原因：${p.reason}`),
        startAgain(p),
      ),
    }),
    expired: (p) => ({
      subject: `${tag}${p.companyName} 的注册已过期`,
      body: paras(
        para(`${p.companyName} 的 CSP 计划注册已过期。`),
        p.reason !== undefined && para(`原因：${p.reason}`),
        startAgain(p),
      ),
    }),
    failed: (p) => ({
      subject: `${tag}我们未能完成 ${p.companyName} 的注册`,
      body: paras(
        para(`我们未能完成 ${p.companyName} 的 CSP 计划注册。`),
        p.failure !== undefined
          ? para(
              `发生的情况：${failures[p.failure]}` +
                (p.failure === 'phone-codes-used-up'
                  ? '。'
                  : '，原因是一个持续存在的技术问题。这并非由您的任何操作造成。'),
            )
          : p.reason !== undefined && para(`发生的情况：${p.reason}`),
        p.note !== undefined && para(`项目团队的说明：${p.note}`),
        p.failure === 'phone-codes-used-up' &&
          para(
            '您可以：确认该号码是贵组织在中国的电话号码，并且能够接收短信（手机）或来电（固定电话），然后重新开始注册。',
          ),
        para('您在合作伙伴中心所做的一切都会保留：重新注册时将找到您的工作账户和合作伙伴中心账户。'),
        startAgain(p),
      ),
    }),
  },
};
