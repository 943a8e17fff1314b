/** Français (France), in the words of the guide's French edition where it has them. */
import { GETTING_STARTED_TASKS, NEXT_TASKS } from '../../../domain/getting-started';
import { type LocaleTexts, type Params, linkList, para, paras } from '../content';

const tag = '[21Vianet CSP]';
const AGREEMENT = 'le contrat de revendeur CSP 21Vianet';
const agreement = (v?: string) => `${AGREEMENT}${v ? ` (version ${v})` : ''}`;

const tasks: LocaleTexts['tasks'] = {
  'verify-profiles': 'Vérifier ou mettre à jour vos profils juridique, de facturation et de l’organisation',
  'create-user-accounts':
    'Créer des comptes d’utilisateur et affecter des autorisations aux employés qui travaillent dans l’Espace partenaires',
  'customize-catalog': 'Afficher et personnaliser votre catalogue de services',
};
const failures: LocaleTexts['failures'] = {
  'phone-codes-used-up':
    'le numéro de téléphone de votre organisation n’a pas pu être vérifié : tous les codes de vérification ont été utilisés sans le bon',
  'work-account': 'votre compte professionnel n’a pas pu être configuré dans l’Espace partenaires',
  'phone-verification': 'la vérification par téléphone n’a pas pu être effectuée',
  'partner-account': 'votre compte Espace partenaires n’a pas pu être créé',
  application: 'votre demande n’a pas pu être vérifiée et transmise à l’Espace partenaires',
  'credit-check': 'la vérification de solvabilité n’a pas pu être effectuée',
  agreement: 'le contrat que vous avez signé n’a pas pu être enregistré dans l’Espace partenaires',
  provisioning: 'votre compte Espace partenaires n’a pas pu être configuré',
  'getting-started': 'les tâches de prise en main de votre compte n’ont pas pu être suivies',
  technical: 'l’inscription n’a pas pu se poursuivre',
};
const nextTasks: LocaleTexts['nextTasks'] = {
  'customer-accounts': 'Créer et gérer des comptes clients',
  'customer-subscriptions': 'Ajouter et gérer des abonnements de clients',
  billing: 'En savoir plus sur la facturation',
  'offers-and-pricing': 'Afficher les offres et leurs prix',
  'customer-support': 'Obtenir un support technique et assister vos clients',
};
const taskLinks = (p: Params, which = p.tasksLeft ?? [...GETTING_STARTED_TASKS]) =>
  linkList(
    which.map((task) => [tasks[task], p.links.tasks[task]]),
    ' : ',
  );
const nextTaskLinks = (p: Params) =>
  linkList(
    NEXT_TASKS.map((task) => [nextTasks[task], p.links.next[task]]),
    ' : ',
  );
const caseLink = (p: Params) => p.caseUrl !== undefined && para('Ouvrir le dossier : ', { link: p.caseUrl });
const startAgain = (p: Params) =>
  para('Vous pouvez commencer une nouvelle inscription à tout moment : ', { link: p.links.enrollment });

export const frFR: LocaleTexts = {
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  reference: (id) => `Référence de l’inscription : ${id}`,
  signOff: ['Cordialement,', 'L’équipe du programme Cloud Solution Provider (CSP) de 21Vianet'],
  automated: 'Ce message a été envoyé automatiquement ; merci de ne pas y répondre.',
  tasks,
  nextTasks,
  failures,
  templates: {
    'account-details-needed': (p) => ({
      subject: `${tag} Merci de corriger les informations de compte de ${p.companyName}`,
      body: paras(
        para(
          `L’Espace partenaires n’a pas pu utiliser les informations de compte de ${p.companyName} : ${p.reason}.`,
        ),
        para(
          'Merci de les corriger dans votre inscription : indiquez le domaine de votre compte professionnel ' +
            'existant, choisissez un autre préfixe pour un nouveau compte, ou nommez la personne qui a le rôle ' +
            'd’administrateur général.',
        ),
        p.dueAtText !== undefined && para(`Merci de le faire avant le ${p.dueAtText}.`),
      ),
    }),
    'account-created': (p) => ({
      subject: `${tag} Compte Espace partenaires créé pour ${p.companyName}`,
      body: paras(
        para(`Votre compte Espace partenaires pour ${p.companyName} a été créé.`),
        para(`Identifiant de connexion : ${p.signInName}`),
        para(
          'Important : enregistrez les informations de ce message, car vous en aurez besoin pour vous connecter ' +
            'à l’Espace partenaires pour la première fois, puis pour signer le contrat une fois votre demande approuvée.',
        ),
        para('Espace partenaires : ', { link: p.links.dashboard }),
        para(
          'Pour votre sécurité, nous n’envoyons jamais de mot de passe par e-mail. ' +
            'Vous définirez votre mot de passe lors de votre première connexion.',
        ),
      ),
    }),
    'application-reminder': (p) => ({
      subject: `${tag} Merci de compléter l’inscription de ${p.companyName}`,
      body: paras(
        para(
          `L’inscription de ${p.companyName} au programme CSP vous attend. ` +
            `Merci de la compléter avant le ${p.dueAtText}, faute de quoi elle expirera.`,
        ),
      ),
    }),
    'application-received': (p) => ({
      subject: `${tag} Nous avons reçu la demande CSP de ${p.companyName}`,
      body: paras(
        para(
          `Merci : nous avons reçu la demande d’inscription de ${p.companyName} au programme Cloud Solution Provider.`,
        ),
        para(
          'Nous allons l’examiner et vérifier votre solvabilité, puis vous indiquer par e-mail si vous êtes ' +
            'autorisé à revendre des services Cloud Solution Provider en Chine.',
        ),
        para('Veuillez noter que l’examen d’une demande peut prendre plusieurs semaines.'),
      ),
    }),
    'information-requested': (p) => ({
      subject: `${tag} Informations complémentaires demandées pour ${p.companyName}`,
      body: paras(
        para('Notre examinateur a besoin des informations suivantes :'),
        para(`« ${p.question} »`),
        p.documentRequested !== undefined && para(`Veuillez joindre : ${p.documentRequested}.`),
        p.dueAtText !== undefined && para(`Merci de répondre avant le ${p.dueAtText}.`),
      ),
    }),
    'review-reminder': (p) => ({
      subject: `${tag} En attente de votre examen : ${p.companyName}`,
      body: paras(
        para(`La demande CSP de ${p.companyName} attend votre examen.`),
        p.dueAtText !== undefined && para(`Échéance : ${p.dueAtText}.`),
        caseLink(p),
      ),
    }),
    'review-escalated': (p) => ({
      subject: `${tag} Examen transmis : ${p.companyName}`,
      body: paras(
        para(`La demande de ${p.companyName} n’a pas été examinée dans les délais et vous a été transmise.`),
        caseLink(p),
      ),
    }),
    'review-overdue': (p) => ({
      subject: `${tag} Examen en retard : ${p.companyName}`,
      body: paras(
        para(
          `L’examen de la demande CSP de ${p.companyName} attend une décision depuis ${p.waitingDays ?? '?'} jours ` +
            'et est en retard. Merci de veiller à ce qu’elle soit tranchée.',
        ),
        caseLink(p),
      ),
    }),
    'incident-opened': (p) => ({
      subject: `${tag} Incident : ${p.companyName} arrêté à l’étape ${p.step}`,
      body: paras(
        para(
          `L’inscription de ${p.companyName} s’est arrêtée à l’étape ${p.step} : elle a échoué après toutes ses tentatives` +
            `${p.waitingDays ? ` et attend depuis ${p.waitingDays} jours` : ''}.`,
        ),
        p.reason !== undefined && para(`Ce qui a échoué : ${p.reason}`),
        para(
          'Relancez l’étape une fois la cause corrigée, ou mettez fin à l’inscription avec un motif (le demandeur en est informé).',
        ),
        caseLink(p),
      ),
    }),
    'review-in-progress': (p) => ({
      subject: `${tag} La demande de ${p.companyName} est toujours en cours d’examen`,
      body: paras(
        para(
          `La demande CSP de ${p.companyName} est toujours en cours d’examen` +
            `${p.waitingDays !== undefined ? ` (depuis ${p.waitingDays} jours)` : ''}.`,
        ),
        para(
          'L’examen peut prendre plusieurs semaines. Vous n’avez rien à faire pour l’instant : ' +
            'nous vous enverrons la décision par e-mail.',
        ),
      ),
    }),
    approved: (p) => ({
      subject: `${tag} ${p.companyName} est autorisé à revendre des services CSP en Chine`,
      body: paras(
        para(
          `Félicitations ! ${p.companyName} est autorisé à revendre des services Cloud Solution Provider en Chine.`,
        ),
        para(
          'Prochaine étape : connectez-vous à l’Espace partenaires avec les informations d’identification ' +
            `enregistrées lors de la création de votre compte et sélectionnez « Accepter et continuer » pour signer ${agreement(p.agreementVersion)} : `,
          { link: p.links.dashboard },
        ),
        para('La configuration de votre compte Espace partenaires peut ensuite prendre plusieurs heures.'),
      ),
    }),
    rejected: (p) => ({
      subject: `${tag} Demande CSP non approuvée pour ${p.companyName}`,
      body: paras(
        para(`Nous sommes désolés : la demande CSP de ${p.companyName} n’a pas été approuvée.`),
        p.reason !== undefined && para(`Motif : ${p.reason}`),
        p.notAMember === true &&
          para(
            'Seuls les membres du Microsoft Partner Network (MPN) peuvent s’inscrire. Vous pouvez le rejoindre ici, ' +
              'puis vous inscrire à nouveau : ',
            { link: p.links.mpnJoin },
          ),
        p.notAMember !== true && startAgain(p),
      ),
    }),
    'agreement-reminder': (p) => ({
      subject: `${tag} Merci de signer ${AGREEMENT}`,
      body: paras(
        para(
          `${p.companyName} n’a pas encore signé ${agreement(p.agreementVersion)}. ` +
            `Merci de le signer avant le ${p.dueAtText} dans l’Espace partenaires, faute de quoi l’inscription sera close : `,
          { link: p.links.dashboard },
        ),
      ),
    }),
    'agreement-lapsed': (p) => ({
      subject: `${tag} Inscription close pour ${p.companyName}`,
      body: paras(
        para(
          `L’inscription de ${p.companyName} a été close, ${agreement(p.agreementVersion)} ` +
            'n’ayant pas été signé dans les délais.',
        ),
        startAgain(p),
      ),
    }),
    'account-ready': (p) => ({
      subject: `${tag} Compte Espace partenaires prêt pour ${p.companyName}`,
      body: paras(
        para(`Le compte Espace partenaires de ${p.companyName} est configuré et prêt à l’emploi.`),
        p.signInName !== undefined && para(`Identifiant de connexion : ${p.signInName}`),
        para('Connectez-vous à l’adresse : ', { link: p.links.dashboard }),
        para(
          'Pour terminer la configuration de votre compte, sélectionnez Paramètres du compte dans le menu du tableau de bord pour :',
        ),
        ...taskLinks(p),
      ),
    }),
    'getting-started-reminder': (p) => ({
      subject: `${tag} Terminez la configuration de votre compte Espace partenaires`,
      body: paras(
        para(`Pour terminer la configuration du compte Espace partenaires de ${p.companyName}, il reste à :`),
        ...taskLinks(p),
        para(
          'Ensuite, depuis la page Vue d’ensemble du tableau de bord, vous ou vos administrateurs pouvez :',
        ),
        ...nextTaskLinks(p),
      ),
    }),
    completed: (p) => ({
      subject: `${tag} Inscription terminée pour ${p.companyName}`,
      body: paras(
        para(`L’inscription de ${p.companyName} au programme CSP 21Vianet est terminée.`),
        p.tasksLeft !== undefined &&
          p.tasksLeft.length > 0 &&
          para('Reste à faire dans les paramètres du compte :'),
        ...(p.tasksLeft?.length ? taskLinks(p) : []),
        para(
          'Depuis la page Vue d’ensemble du tableau de bord, vous ou vos administrateurs pouvez maintenant :',
        ),
        ...nextTaskLinks(p),
      ),
    }),
    withdrawn: (p) => ({
      subject: `${tag} Inscription retirée pour ${p.companyName}`,
      body: paras(
        para(`L’inscription de ${p.companyName} au programme CSP a été retirée.`),
        p.reason !== undefined && para(`Motif : ${p.reason}`),
        startAgain(p),
      ),
    }),
    expired: (p) => ({
      subject: `${tag} Inscription expirée pour ${p.companyName}`,
      body: paras(
        para(`L’inscription de ${p.companyName} au programme CSP a expiré.`),
        p.reason !== undefined && para(`Motif : ${p.reason}`),
        startAgain(p),
      ),
    }),
    failed: (p) => ({
      subject: `${tag} Nous n’avons pas pu terminer l’inscription de ${p.companyName}`,
      body: paras(
        para(`Nous n’avons pas pu terminer l’inscription de ${p.companyName} au programme CSP.`),
        p.failure !== undefined
          ? para(
              `Ce qui s’est passé : ${failures[p.failure]}` +
                (p.failure === 'phone-codes-used-up'
                  ? '.'
                  : ', à cause d’un problème technique persistant. Rien de ce que vous avez fait n’en est la cause.'),
            )
          : p.reason !== undefined && para(`Ce qui s’est passé : ${p.reason}`),
        p.note !== undefined && para(`Note de l’équipe du programme : ${p.note}`),
        p.failure === 'phone-codes-used-up' &&
          para(
            'Ce que vous pouvez faire : vérifiez que ce numéro est bien celui de votre organisation en Chine et ' +
              'qu’il peut recevoir des SMS (un mobile) ou des appels (une ligne fixe), puis commencez une nouvelle inscription.',
          ),
        para(
          'Ce que vous avez fait dans l’Espace partenaires est conservé : une nouvelle inscription retrouvera ' +
            'votre compte professionnel et votre compte Espace partenaires.',
        ),
        startAgain(p),
      ),
    }),
  },
};
