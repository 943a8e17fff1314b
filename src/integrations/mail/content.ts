/** What a locale file writes per template: words and links, never markup (HTML is built apart). */
import type { FailureCause } from '../../domain/failure-causes';
import type { GettingStartedTask, NextTask } from '../../domain/getting-started';
import type { GuideLinks } from '../../domain/links';
import type { NotificationParams, NotificationTemplate } from '../../domain/notifications';

/** A link is kept apart so the HTML can make it clickable; everything else is plain text. */
export type Part = string | { link: string };
export type Paragraph = Part[];

export interface Content {
  subject: string;
  body: Paragraph[];
}

/**
 * Params with the ones a template declares required checked present (see REQUIRED in
 * templates.ts), the guide's links filled in, and the deadline written for the locale.
 */
export type Params = NotificationParams & { links: GuideLinks; dueAtText?: string };

export interface LocaleTexts {
  greeting(recipientName: string | undefined): string;
  reference(enrollmentId: string): string;
  signOff: string[];
  automated: string;
  /** The guide's getting-started tasks and the dashboard's next tasks, in the locale's words. */
  tasks: Record<GettingStartedTask, string>;
  nextTasks: Record<NextTask, string>;
  /** What could not be done when an enrollment failed, in plain words (never the technical detail). */
  failures: Record<FailureCause, string>;
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

/** One paragraph per item: "label: link". */
export function linkList(items: Array<[label: string, url: string]>, separator = ': '): Paragraph[] {
  return items.map(([label, url]) => [`• ${label}${separator}`, { link: url }]);
}
