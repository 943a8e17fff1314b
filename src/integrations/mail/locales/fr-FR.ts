/** Français (France). */
import { type LocaleTexts, para, paras } from '../content';

const tag = '[21Vianet CSP]';
const agreement = (v?: string) => `le contrat Microsoft Partner Agreement${v ? ` (version ${v})` : ''}`;

export const frFR: LocaleTexts = {
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  reference: (id) => `Référence de la demande : ${id}`,
  signOff: ['Cordialement,', 'L’équipe du programme Cloud Solution Provider (CSP) de 21Vianet'],
  automated: 'Ce message a été envoyé automatiquement ; merci de ne pas y répondre.',
  templates: {
    'account-created': (p) => ({
      subject: `${tag} Compte partenaire créé pour ${p.companyName}`,
      body: paras(
        para(`Nous avons créé un compte professionnel partenaire pour ${p.companyName}.`),
        para(`Identifiant de connexion : ${p.signInName}`),
        para('Conservez cet identifiant en lieu sûr et connectez-vous à l’adresse : ', {
          link: p.signInUrl!,
        }),
        para(
          'Pour votre sécurité, nous n’envoyons jamais de mot de passe par e-mail. ' +
            'Vous définirez votre mot de passe lors de votre première connexion.',
        ),
      ),
    }),
    'application-reminder': (p) => ({
      subject: `${tag} Merci de compléter la demande de ${p.companyName}`,
      body: paras(
        para(
          `La demande d’adhésion au programme CSP de ${p.companyName} n’est pas terminée. ` +
            `Merci de la compléter et de l’envoyer avant le ${p.dueAtText}, faute de quoi elle expirera.`,
        ),
      ),
    }),
    'application-received': (p) => ({
      subject: `${tag} Demande de ${p.companyName} bien reçue`,
      body: paras(
        para(`Merci pour la demande d’adhésion au programme CSP de ${p.companyName}.`),
        para(
          'Nous allons vérifier la solvabilité et examiner votre dossier, puis vous informer du résultat par e-mail.',
        ),
      ),
    }),
    'information-requested': (p) => ({
      subject: `${tag} Informations complémentaires demandées pour ${p.companyName}`,
      body: paras(
        para('Notre examinateur a besoin des informations suivantes :'),
        para(`« ${p.question} »`),
        p.dueAtText !== undefined && para(`Merci de répondre avant le ${p.dueAtText}.`),
      ),
    }),
    'review-reminder': (p) => ({
      subject: `${tag} En attente de votre examen : ${p.companyName}`,
      body: paras(
        para(`La demande d’adhésion au programme CSP de ${p.companyName} attend votre examen.`),
        p.dueAtText !== undefined && para(`Merci de terminer l’examen avant le ${p.dueAtText}.`),
      ),
    }),
    'review-escalated': (p) => ({
      subject: `${tag} Examen transmis : ${p.companyName}`,
      body: paras(
        para(`La demande de ${p.companyName} n’a pas été examinée dans les délais et vous a été transmise.`),
      ),
    }),
    approved: (p) => ({
      subject: `${tag} Demande approuvée pour ${p.companyName}`,
      body: paras(
        para(`Félicitations ! La demande d’adhésion au programme CSP de ${p.companyName} a été approuvée.`),
        para(`Prochaine étape : connectez-vous et acceptez ${agreement(p.agreementVersion)}.`),
      ),
    }),
    rejected: (p) => ({
      subject: `${tag} Demande non approuvée pour ${p.companyName}`,
      body: paras(
        para(
          `Nous sommes désolés : la demande d’adhésion au programme CSP de ${p.companyName} n’a pas été approuvée.`,
        ),
        p.reason !== undefined && para(`Motif : ${p.reason}`),
        p.joinUrl !== undefined &&
          para(
            'Vous pourrez déposer une nouvelle demande après avoir rejoint le Microsoft Partner Network : ',
            {
              link: p.joinUrl,
            },
          ),
      ),
    }),
    'agreement-reminder': (p) => ({
      subject: `${tag} Merci d’accepter le contrat partenaire`,
      body: paras(
        para(
          `${p.companyName} n’a pas encore accepté ${agreement(p.agreementVersion)}. ` +
            `Merci de l’accepter avant le ${p.dueAtText}, faute de quoi la demande sera close.`,
        ),
      ),
    }),
    'agreement-lapsed': (p) => ({
      subject: `${tag} Demande close pour ${p.companyName}`,
      body: paras(
        para(
          `La demande de ${p.companyName} a été close, ${agreement(p.agreementVersion)} ` +
            'n’ayant pas été accepté dans les délais.',
        ),
        para('Si vous souhaitez toujours adhérer, merci de déposer une nouvelle demande.'),
      ),
    }),
    'account-ready': (p) => ({
      subject: `${tag} Compte CSP prêt pour ${p.companyName}`,
      body: paras(
        para(`Le compte partenaire CSP de ${p.companyName} est prêt à l’emploi.`),
        p.signInName !== undefined && para(`Identifiant de connexion : ${p.signInName}`),
        para('Connectez-vous à l’adresse : ', { link: p.signInUrl! }),
      ),
    }),
    withdrawn: (p) => ({
      subject: `${tag} Demande retirée pour ${p.companyName}`,
      body: paras(
        para(`La demande d’adhésion au programme CSP de ${p.companyName} a été retirée.`),
        p.reason !== undefined && para(`Motif : ${p.reason}`),
      ),
    }),
    expired: (p) => ({
      subject: `${tag} Demande expirée pour ${p.companyName}`,
      body: paras(
        para(`La demande d’adhésion au programme CSP de ${p.companyName} a expiré.`),
        p.reason !== undefined && para(`Motif : ${p.reason}`),
        para('Si vous souhaitez toujours adhérer, merci de déposer une nouvelle demande.'),
      ),
    }),
  },
};
