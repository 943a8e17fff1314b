/** What a locale file writes per template: words and links, never markup (HTML is built apart). */
import type { NotificationParams, NotificationTemplate } from '../../domain/notifications';

/** A link is kept apart so the HTML can make it clickable; everything else is plain text. */
export type Part = string | { link: string };
export type Paragraph = Part[];

export interface Content {
  subject: string;
  body: Paragraph[];
}

/** Params with the ones a template declares required checked present; see REQUIRED in templates.ts. */
export type Params = NotificationParams & { dueAtText?: string };

export interface LocaleTexts {
  greeting(recipientName: string | undefined): string;
  reference(enrollmentId: string): string;
  signOff: string[];
  automated: string;
  templates: Record<NotificationTemplate, (p: Params) => Content>;
}

/** A paragraph from plain text and links, dropping absent optional pieces. */
export function para(...parts: Array<Part | undefined | false>): Paragraph {
  return parts.filter((part): part is Part => part !== undefined && part !== false);
}

/** Paragraphs, dropping absent optional ones. */
export function paras(...list: Array<Paragraph | undefined | false>): Paragraph[] {
  return list.filter((p): p is Paragraph => p !== undefined && p !== false);
}
