/** English (United States). */
import { type LocaleTexts, para, paras } from '../content';

const tag = '[21Vianet CSP]';
const agreement = (v?: string) => `the Microsoft Partner Agreement${v ? ` (version ${v})` : ''}`;

export const enUS: LocaleTexts = {
  greeting: (name) => (name ? `Dear ${name},` : 'Hello,'),
  reference: (id) => `Application reference: ${id}`,
  signOff: ['Kind regards,', 'The 21Vianet Cloud Solution Provider (CSP) program team'],
  automated: 'This message was sent automatically; please do not reply to it.',
  templates: {
    'account-created': (p) => ({
      subject: `${tag} Partner account created for ${p.companyName}`,
      body: paras(
        para(`We have created a partner work account for ${p.companyName}.`),
        para(`Sign-in name: ${p.signInName}`),
        para('Keep this sign-in name safe, and sign in at: ', { link: p.signInUrl! }),
        para('For your security we never send passwords by email. Set your password when you first sign in.'),
      ),
    }),
    'application-reminder': (p) => ({
      subject: `${tag} Please complete the application for ${p.companyName}`,
      body: paras(
        para(
          `The CSP program application for ${p.companyName} is not complete yet. ` +
            `Please complete and submit it by ${p.dueAtText}, or it will expire.`,
        ),
      ),
    }),
    'application-received': (p) => ({
      subject: `${tag} We received the application for ${p.companyName}`,
      body: paras(
        para(`Thank you for applying to the CSP program for ${p.companyName}.`),
        para('We will now check credit and review your details, and tell you the outcome by email.'),
      ),
    }),
    'information-requested': (p) => ({
      subject: `${tag} More information needed for ${p.companyName}`,
      body: paras(
        para('Our reviewer needs the following from you:'),
        para(`"${p.question}"`),
        p.dueAtText !== undefined && para(`Please answer by ${p.dueAtText}.`),
      ),
    }),
    'review-reminder': (p) => ({
      subject: `${tag} Waiting for your review: ${p.companyName}`,
      body: paras(
        para(`The CSP program application for ${p.companyName} is waiting for your review.`),
        p.dueAtText !== undefined && para(`Please complete the review by ${p.dueAtText}.`),
      ),
    }),
    'review-escalated': (p) => ({
      subject: `${tag} Review escalated: ${p.companyName}`,
      body: paras(
        para(`The application for ${p.companyName} was not reviewed in time and has been escalated to you.`),
      ),
    }),
    approved: (p) => ({
      subject: `${tag} Application approved for ${p.companyName}`,
      body: paras(
        para(`Congratulations! The CSP program application for ${p.companyName} has been approved.`),
        para(`Next step: sign in and accept ${agreement(p.agreementVersion)}.`),
      ),
    }),
    rejected: (p) => ({
      subject: `${tag} Application not approved for ${p.companyName}`,
      body: paras(
        para(`We are sorry: the CSP program application for ${p.companyName} was not approved.`),
        p.reason !== undefined && para(`Reason: ${p.reason}`),
        p.joinUrl !== undefined &&
          para('You are welcome to apply again after joining the Microsoft Partner Network: ', {
            link: p.joinUrl,
          }),
      ),
    }),
    'agreement-reminder': (p) => ({
      subject: `${tag} Please accept the partner agreement`,
      body: paras(
        para(
          `${p.companyName} has not yet accepted ${agreement(p.agreementVersion)}. ` +
            `Please accept it by ${p.dueAtText}, or the application will be closed.`,
        ),
      ),
    }),
    'agreement-lapsed': (p) => ({
      subject: `${tag} Application closed for ${p.companyName}`,
      body: paras(
        para(
          `The application for ${p.companyName} has been closed because ${agreement(p.agreementVersion)} ` +
            'was not accepted in time.',
        ),
        para('If you still wish to join, please submit a new application.'),
      ),
    }),
    'account-ready': (p) => ({
      subject: `${tag} CSP account ready for ${p.companyName}`,
      body: paras(
        para(`The CSP partner account for ${p.companyName} is ready to use.`),
        p.signInName !== undefined && para(`Sign-in name: ${p.signInName}`),
        para('Sign in at: ', { link: p.signInUrl! }),
      ),
    }),
    withdrawn: (p) => ({
      subject: `${tag} Application withdrawn for ${p.companyName}`,
      body: paras(
        para(`The CSP program application for ${p.companyName} has been withdrawn.`),
        p.reason !== undefined && para(`Reason: ${p.reason}`),
      ),
    }),
    expired: (p) => ({
      subject: `${tag} Application expired for ${p.companyName}`,
      body: paras(
        para(`The CSP program application for ${p.companyName} has expired.`),
        p.reason !== undefined && para(`Reason: ${p.reason}`),
        para('If you still wish to join, please submit a new application.'),
      ),
    }),
  },
};
