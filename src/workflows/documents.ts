/**
 * Documents the applicant attaches to the application and to answers. Only references arrive
 * here (the claim check: ID, name, type, size, SHA-256); the bytes were stored, encrypted, before
 * the action was sent, and stay outside the enrollment's history.
 */
import { AttachDocument } from '../domain/actions';
import { MAX_DOCUMENTS } from '../domain/documents';
import { defineAction, rules, who } from './actions';
import { iso, type Enrollment } from './context';
import { actions } from './definitions';

export function registerDocumentActions(e: Enrollment): void {
  const { status, pending } = e;
  const { stageIs, applicantOnly } = rules(e);
  const documents = () => (status.documents ??= []);
  const openQuestion = () => (pending.question && !pending.question.answer ? pending.question : undefined);

  defineAction(e, 'attachDocument', actions.attachDocument, {
    schema: AttachDocument,
    refusal: ({ actor, document, attachTo }) =>
      applicantOnly(actor) ??
      (attachTo === 'application'
        ? stageIs('application', 'review', 'information-requested')
        : (stageIs('information-requested') ??
          (openQuestion() ? undefined : 'there is no open question to answer'))) ??
      (documents().some((known) => known.id === document.id)
        ? 'this document is attached already'
        : undefined) ??
      (documents().length >= MAX_DOCUMENTS ? `at most ${MAX_DOCUMENTS} documents per enrollment` : undefined),
    apply: ({ actor, document, attachTo }) => {
      const question =
        attachTo === 'answer' ? status.review.informationRequests.indexOf(openQuestion()!) : -1;
      documents().push({
        ...document,
        attachedBy: who(actor),
        attachedAt: iso(),
        attachedTo: attachTo,
        ...(question >= 0 ? { question } : {}),
      });
      e.audit(
        who(actor),
        'document attached',
        `${document.name} (${document.type}, ${document.size} bytes) to the ${attachTo}`,
      );
      return `${document.name} attached to the ${attachTo}`;
    },
  });
}

/** The documents attached to the answer of information request `index`. */
export const answerDocuments = (e: Enrollment, index: number) =>
  (e.status.documents ?? []).filter(
    (document) => document.attachedTo === 'answer' && document.question === index,
  );
