/** English (United States). */
import { GETTING_STARTED_TASKS, NEXT_TASKS } from '../../../domain/getting-started';
import { type LocaleTexts, type Params, linkList, para, paras } from '../content';

const tag = '[21Vianet CSP]';
const AGREEMENT = 'the 21Vianet CSP reseller agreement';
const agreement = (v?: string) => `${AGREEMENT}${v ? ` (version ${v})` : ''}`;

const tasks: LocaleTexts['tasks'] = {
  'verify-profiles': 'Verify or update your legal, billing and organization profiles',
  'create-user-accounts':
    'Create user accounts and assign permissions for the employees who work in Partner Center',
  'customize-catalog': 'View and customize your catalog of services',
};
const failures: LocaleTexts['failures'] = {
  'phone-codes-used-up':
    "your organization's phone number could not be verified: every verification code was used without the right one",
  'work-account': 'your work account could not be set up in Partner Center',
  'phone-verification': 'the phone verification could not be done',
  'partner-account': 'your Partner Center account could not be created',
  application: 'your application could not be checked and submitted to Partner Center',
  'credit-check': 'the credit check could not be done',
  agreement: 'your signed agreement could not be recorded in Partner Center',
  provisioning: 'your Partner Center account could not be configured',
  'getting-started': "your account's getting-started tasks could not be followed",
  technical: 'the enrollment could not go on',
};
const nextTasks: LocaleTexts['nextTasks'] = {
  'customer-accounts': 'Create and manage customer accounts',
  'customer-subscriptions': 'Add and manage customer subscriptions',
  billing: 'Learn about billing',
  'offers-and-pricing': 'See offers and pricing',
  'customer-support': 'Get technical support and support your customers',
};
const taskLinks = (p: Params, which = p.tasksLeft ?? [...GETTING_STARTED_TASKS]) =>
  linkList(which.map((task) => [tasks[task], p.links.tasks[task]]));
const nextTaskLinks = (p: Params) =>
  linkList(NEXT_TASKS.map((task) => [nextTasks[task], p.links.next[task]]));
const caseLink = (p: Params) => p.caseUrl !== undefined && para('Open the case: ', { link: p.caseUrl });
const startAgain = (p: Params) =>
  para('You can start a new enrollment at any time: ', { link: p.links.enrollment });

export const enUS: LocaleTexts = {
  greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
  reference: (id) => `Application reference: ${id}`,
  signOff: ['Kind regards,', 'The 21Vianet Cloud Solution Provider (CSP) program team'],
  automated: 'This message was sent automatically; please do not reply to it.',
  tasks,
  nextTasks,
  failures,
  templates: {
    'account-details-needed': (p) => ({
      subject: `${tag} Please correct the account details of ${p.companyName}`,
      body: paras(
        para(`Partner Center could not use the account details given for ${p.companyName}: ${p.reason}.`),
        para(
          'Please correct them in your enrollment: name your existing work account by its domain, ' +
            'choose another prefix for a new one, or name the person who holds the global admin role.',
        ),
        p.dueAtText !== undefined && para(`Please do so by ${p.dueAtText}.`),
      ),
    }),
    'account-created': (p) => ({
      subject: `${tag} Partner Center account created for ${p.companyName}`,
      body: paras(
        para(`Your Partner Center account for ${p.companyName} has been created.`),
        para(`Sign-in name: ${p.signInName}`),
        para(
          'Important: keep the information in this message. You need it to sign in to Partner Center ' +
            'for the first time, and to sign the agreement once your application is approved.',
        ),
        para('Partner Center: ', { link: p.links.dashboard }),
        para('For your security we never send passwords by email. Set your password when you first sign in.'),
      ),
    }),
    'application-reminder': (p) => ({
      subject: `${tag} Please complete the enrollment of ${p.companyName}`,
      body: paras(
        para(
          `The CSP program enrollment of ${p.companyName} is waiting for you. ` +
            `Please complete it by ${p.dueAtText}, or it will expire.`,
        ),
      ),
    }),
    'application-received': (p) => ({
      subject: `${tag} We received the CSP application of ${p.companyName}`,
      body: paras(
        para(`Thank you: we received the Cloud Solution Provider application of ${p.companyName}.`),
        para(
          'We will review it and run a credit check, and tell you by email whether you are authorized ' +
            'to resell Cloud Solution Provider services in China.',
        ),
        para('Please note that the review of an application may take several weeks.'),
      ),
    }),
    'information-requested': (p) => ({
      subject: `${tag} More information needed for ${p.companyName}`,
      body: paras(
        para('Our reviewer needs the following from you:'),
        para(`"${p.question}"`),
        p.documentRequested !== undefined && para(`Please attach: ${p.documentRequested}.`),
        p.dueAtText !== undefined && para(`Please answer by ${p.dueAtText}.`),
      ),
    }),
    'review-reminder': (p) => ({
      subject: `${tag} Waiting for your review: ${p.companyName}`,
      body: paras(
        para(`The CSP application of ${p.companyName} is waiting for your review.`),
        p.dueAtText !== undefined && para(`It is due by ${p.dueAtText}.`),
        caseLink(p),
      ),
    }),
    'review-escalated': (p) => ({
      subject: `${tag} Review escalated: ${p.companyName}`,
      body: paras(
        para(`The application of ${p.companyName} was not reviewed in time and has been escalated to you.`),
        caseLink(p),
      ),
    }),
    'review-overdue': (p) => ({
      subject: `${tag} Review overdue: ${p.companyName}`,
      body: paras(
        para(
          `The review of the CSP application of ${p.companyName} has waited ${p.waitingDays ?? '?'} days ` +
            'without a decision and is overdue. Please see that it is decided.',
        ),
        caseLink(p),
      ),
    }),
    'incident-opened': (p) => ({
      subject: `${tag} Incident: ${p.companyName} waits at ${p.step}`,
      body: paras(
        para(
          `The enrollment of ${p.companyName} stopped at the step ${p.step}: it failed after all its retries` +
            `${p.waitingDays ? ` and has waited ${p.waitingDays} days` : ''}.`,
        ),
        p.reason !== undefined && para(`What failed: ${p.reason}`),
        para(
          'Run the step again once its cause is fixed, or end the enrollment with a reason (the applicant is told).',
        ),
        caseLink(p),
      ),
    }),
    'review-in-progress': (p) => ({
      subject: `${tag} Your application for ${p.companyName} is still under review`,
      body: paras(
        para(
          `The CSP application of ${p.companyName} is still under review` +
            `${p.waitingDays !== undefined ? ` (${p.waitingDays} days so far)` : ''}.`,
        ),
        para(
          'A review may take several weeks. There is nothing you need to do now: we will email you the decision.',
        ),
      ),
    }),
    approved: (p) => ({
      subject: `${tag} ${p.companyName} is authorized to resell CSP services in China`,
      body: paras(
        para(
          `Congratulations! ${p.companyName} is authorized to resell Cloud Solution Provider services in China.`,
        ),
        para(
          'Next step: sign in to Partner Center with the credentials you saved when your account was ' +
            `created, and select "Accept and continue" to sign ${agreement(p.agreementVersion)}: `,
          { link: p.links.dashboard },
        ),
        para('Setting up your Partner Center account may then take several hours.'),
      ),
    }),
    rejected: (p) => ({
      subject: `${tag} CSP application not approved for ${p.companyName}`,
      body: paras(
        para(`We are sorry: the CSP application of ${p.companyName} was not approved.`),
        p.reason !== undefined && para(`Reason: ${p.reason}`),
        p.notAMember === true &&
          para(
            'Only members of the Microsoft Partner Network (MPN) may enroll. You can join the network here, ' +
              'then enroll again: ',
            { link: p.links.mpnJoin },
          ),
        p.notAMember !== true && startAgain(p),
      ),
    }),
    'agreement-reminder': (p) => ({
      subject: `${tag} Please sign ${AGREEMENT}`,
      body: paras(
        para(
          `${p.companyName} has not yet signed ${agreement(p.agreementVersion)}. ` +
            `Please sign it by ${p.dueAtText} in Partner Center, or the enrollment will be closed: `,
          { link: p.links.dashboard },
        ),
      ),
    }),
    'agreement-lapsed': (p) => ({
      subject: `${tag} Enrollment closed for ${p.companyName}`,
      body: paras(
        para(
          `The enrollment of ${p.companyName} has been closed because ${agreement(p.agreementVersion)} was not signed in time.`,
        ),
        startAgain(p),
      ),
    }),
    'account-ready': (p) => ({
      subject: `${tag} Partner Center account ready for ${p.companyName}`,
      body: paras(
        para(`The Partner Center account of ${p.companyName} is set up and ready to use.`),
        p.signInName !== undefined && para(`Sign-in name: ${p.signInName}`),
        para('Sign in at: ', { link: p.links.dashboard }),
        para(
          'To complete the configuration of your account, select Account settings in the dashboard menu to:',
        ),
        ...taskLinks(p),
      ),
    }),
    'getting-started-reminder': (p) => ({
      subject: `${tag} Complete the setup of your Partner Center account`,
      body: paras(
        para(`To complete the configuration of the Partner Center account of ${p.companyName}, still to do:`),
        ...taskLinks(p),
        para('Then, from the dashboard overview, you or your admins can:'),
        ...nextTaskLinks(p),
      ),
    }),
    completed: (p) => ({
      subject: `${tag} Enrollment complete for ${p.companyName}`,
      body: paras(
        para(`The enrollment of ${p.companyName} in the 21Vianet CSP program is complete.`),
        p.tasksLeft !== undefined && p.tasksLeft.length > 0 && para('Still to do in your account settings:'),
        ...(p.tasksLeft?.length ? taskLinks(p) : []),
        para('From the dashboard overview, you or your admins can now:'),
        ...nextTaskLinks(p),
      ),
    }),
    withdrawn: (p) => ({
      subject: `${tag} Enrollment withdrawn for ${p.companyName}`,
      body: paras(
        para(`The CSP program enrollment of ${p.companyName} has been withdrawn.`),
        p.reason !== undefined && para(`Reason: ${p.reason}`),
        startAgain(p),
      ),
    }),
    expired: (p) => ({
      subject: `${tag} Enrollment expired for ${p.companyName}`,
      body: paras(
        para(`The CSP program enrollment of ${p.companyName} has expired.`),
        p.reason !== undefined && para(`Reason: ${p.reason}`),
        startAgain(p),
      ),
    }),
    failed: (p) => ({
      subject: `${tag} We could not complete the enrollment of ${p.companyName}`,
      body: paras(
        para(`We could not complete the CSP program enrollment of ${p.companyName}.`),
        p.failure !== undefined
          ? para(
              `What happened: ${failures[p.failure]}` +
                (p.failure === 'phone-codes-used-up'
                  ? '.'
                  : ', because of a technical problem that persisted. Nothing you did caused it.'),
            )
          : p.reason !== undefined && para(`What happened: ${p.reason}`),
        p.note !== undefined && para(`A note from the program's team: ${p.note}`),
        p.failure === 'phone-codes-used-up' &&
          para(
            "What you can do: check that the number is your organization's number in China and that it " +
              'can receive text messages (a mobile) or calls (a landline), then start a new enrollment.',
          ),
        para(
          'What you did in Partner Center is kept: a new enrollment finds your work account and ' +
            'Partner Center account again.',
        ),
        startAgain(p),
      ),
    }),
  },
};
