/* global document, window, sessionStorage, fetch, crypto, URL, URLSearchParams, Blob */
/**
 * The reviewer console: lists (pending reviews, by stage, search, recently decided, incidents),
 * one enrollment's whole case (organization, application, flags, credit result, the questions
 * asked and answered, documents, approvals, timeline), and what reviewers, leads and operators do
 * there. Talks to the API with the token kept in sessionStorage. Everything shown goes through
 * textContent, never innerHTML: company names, answers and file names may carry markup.
 */
'use strict';

const TOKEN_KEY = 'csp-console-token';
const PAGE_SIZE = 50;
const $ = (id) => document.getElementById(id);
let me; // { id, role } of who signed in
let current; // the enrollment ID shown in the detail view
let view = 'queue';
let filters = {};
let nextPageToken;
let loads = 0; // the latest load of a list or an enrollment: only it is shown (clicks overtaking a slow answer)
let viewerUrl; // the object URL of the document shown, revoked when another is opened

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.error?.message ?? `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function say(text, kind = 'ok', focus = false) {
  const message = $('message');
  message.textContent = text;
  message.className = text ? kind : '';
  if (focus && text) message.focus();
}

const failed = (error) => say(error.message, 'error', true);

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function fillList(list, pairs) {
  list.replaceChildren();
  for (const [term, value] of pairs) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    list.append(el('dt', term), el('dd', value));
  }
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');
/** An audit entry's detail, its times (ISO, as the workflow writes them) shown as the dates above. */
const readable = (detail) =>
  detail?.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, (iso) => when(iso));
const person = (p) => p && `${p.firstName} ${p.lastName} <${p.email}>`;
const bytes = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

function show(section) {
  for (const id of ['sign-in', 'list', 'detail']) $(id).hidden = id !== section;
}

/* Lists ------------------------------------------------------------------------------------- */

const COLUMNS = {
  company: ['Company', (i) => i.company],
  enrollment: ['Enrollment', (i) => i.enrollmentId],
  stage: ['Stage', (i) => (i.endState ? `${i.stage} (${i.endState})` : i.stage)],
  reviewDue: ['Review due', (i) => when(i.reviewDue)],
  dueAt: ['Due', (i) => when(i.dueAt)],
  creditRisk: ['Credit risk', (i) => i.creditRisk],
  holder: ['Held by', (i) => i.reviewAssignee ?? 'nobody'],
  heldSince: ['Since', (i) => when(i.heldSince)],
  stageSince: ['In stage since', (i) => when(i.stageSince)],
  decidedAt: ['Decided', (i) => when(i.decidedAt)],
  incident: ['Incident at', (i) => i.incident],
  mpnId: ['MPN ID', (i) => i.mpnId],
  startedAt: ['Started', (i) => when(i.startedAt)],
};

const VIEWS = {
  queue: {
    title: 'Pending reviews',
    caption: () => 'Oldest review due first',
    path: () => '/reviews?',
    columns: ['company', 'enrollment', 'reviewDue', 'creditRisk', 'holder', 'heldSince'],
  },
  stage: {
    title: 'Enrollments by stage',
    form: 'stage-filter',
    caption: (f) => `In stage ${f.stage}, ${$('stage-order').selectedOptions[0]?.textContent ?? ''}`,
    path: (f) => `/enrollments?${new URLSearchParams({ stage: f.stage, order: f.order })}&`,
    columns: ['company', 'enrollment', 'stage', 'dueAt', 'stageSince', 'holder'],
  },
  search: {
    title: 'Search',
    form: 'search-form',
    caption: (f) => (f.text ? `Matching ${f.text}` : 'Search by company, MPN ID or registration number'),
    path: (f) => (f.text ? `/enrollments?${new URLSearchParams({ [f.by]: f.text })}&` : undefined),
    columns: ['company', 'enrollment', 'stage', 'mpnId', 'startedAt'],
  },
  decided: {
    title: 'Recently decided',
    caption: () => 'Latest decision first',
    path: () => '/enrollments?order=decided&',
    columns: ['company', 'enrollment', 'decidedAt', 'stage', 'creditRisk'],
  },
  incidents: {
    title: 'Incidents',
    caption: () => 'Waiting for an operator, longest in its stage first',
    path: () => '/enrollments?incident=true&order=stage-since&',
    columns: ['company', 'enrollment', 'incident', 'stage', 'stageSince'],
  },
};

function formValues(form) {
  return form ? Object.fromEntries(new window.FormData($(form)).entries()) : {};
}

async function openList(name = view, more = false) {
  const load = ++loads;
  view = name;
  const spec = VIEWS[view];
  show('list');
  $('list-title').textContent = spec.title;
  for (const form of ['stage-filter', 'search-form']) $(form).hidden = spec.form !== form;
  for (const button of $('views').querySelectorAll('button'))
    button.setAttribute('aria-current', String(button.dataset.view === view));
  if (!more) {
    filters = formValues(spec.form);
    nextPageToken = undefined;
  }
  $('list-caption').textContent = spec.caption(filters);
  $('list-head').replaceChildren(
    ...spec.columns.map((column) => el('th', COLUMNS[column][0], { scope: 'col' })),
    el('th', undefined, { scope: 'col' }),
  );
  $('list-head').lastChild.append(el('span', 'Open', { class: 'visually-hidden' }));
  const path = spec.path(filters);
  let items = [];
  if (path) {
    const page = await api(
      'GET',
      `${path}pageSize=${PAGE_SIZE}${more ? `&pageToken=${encodeURIComponent(nextPageToken)}` : ''}`,
    );
    if (load !== loads) return;
    items = page.items;
    nextPageToken = page.nextPageToken;
  } else nextPageToken = undefined;
  // Cleared here, once the page is in: two loads under way both cleared first, then both added.
  if (!more) $('list-rows').replaceChildren();
  for (const item of items) {
    const row = el('tr', undefined, { 'data-enrollment': item.enrollmentId });
    const open = el('button', 'Open', {
      type: 'button',
      'aria-label': `Open ${item.company ?? item.enrollmentId}`,
    });
    open.addEventListener('click', () => void openDetail(item.enrollmentId).catch(failed));
    const action = el('td');
    action.append(open);
    row.append(...spec.columns.map((column) => el('td', COLUMNS[column][1](item))), action);
    $('list-rows').append(row);
  }
  $('list-empty').hidden = $('list-rows').childElementCount > 0;
  $('more').hidden = !nextPageToken;
  window.history.replaceState(null, '', `#view=${view}`);
  if (!more) $('list-title').focus();
}

/* One enrollment ----------------------------------------------------------------------------- */

function renderDocuments(status) {
  const documents = status.documents ?? [];
  $('documents-table').hidden = documents.length === 0;
  $('documents-empty').hidden = documents.length > 0;
  $('documents').replaceChildren(
    ...documents.map((document) => {
      const row = el('tr');
      const open = el('button', 'Open', { type: 'button', 'aria-label': `Open ${document.name}` });
      open.addEventListener('click', () => void openDocument(document).catch(failed));
      const action = el('td');
      action.append(open);
      row.append(
        el('td', document.name),
        el('td', `${document.type}, ${bytes(document.size)}`),
        el(
          'td',
          document.attachedTo === 'answer' ? `answer to question ${document.question + 1}` : 'application',
        ),
        el('td', `${when(document.attachedAt)} by ${document.attachedBy}`),
        el('td', `${document.sha256.slice(0, 16)}…`, { title: document.sha256 }),
        action,
      );
      return row;
    }),
  );
}

/** Fetches a document, checks its SHA-256 here too, and shows it (images) or offers it to save. */
async function openDocument(document) {
  const load = loads;
  const response = await fetch(
    `/enrollments/${encodeURIComponent(current)}/documents/${encodeURIComponent(document.id)}`,
    { headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ''}` } },
  );
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    throw new Error(`${document.name}: ${data.error?.message ?? `HTTP ${response.status}`}`);
  }
  const content = await response.arrayBuffer();
  let check = 'SHA-256 checked by the server';
  if (crypto?.subtle) {
    const digest = await crypto.subtle.digest('SHA-256', content);
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (hex !== document.sha256)
      throw new Error(`${document.name}: its SHA-256 does not match the recorded one`);
    check = `SHA-256 verified: ${hex}`;
  }
  // Another enrollment (or a list) opened meanwhile: this document is not its.
  if (load !== loads) return;
  if (viewerUrl) URL.revokeObjectURL(viewerUrl);
  viewerUrl = URL.createObjectURL(new Blob([content], { type: document.type }));
  $('viewer').hidden = false;
  $('viewer-title').textContent = document.name;
  $('viewer-check').textContent = check;
  const image = document.type.startsWith('image/');
  $('viewer-image').hidden = !image;
  if (image) {
    $('viewer-image').src = viewerUrl;
    $('viewer-image').alt = document.name;
  }
  const download = $('viewer-download');
  download.hidden = false;
  download.href = viewerUrl;
  download.download = document.name;
  download.textContent = `Save ${document.name}`;
  $('viewer-title').focus();
}

function renderQuestions(status) {
  const questions = status.review?.informationRequests ?? [];
  $('questions-empty').hidden = questions.length > 0;
  $('questions').replaceChildren(
    ...questions.map((question, index) => {
      const item = el('li');
      item.append(el('p', question.question, { class: 'question' }));
      item.append(el('p', `Asked by ${question.askedBy}, ${when(question.askedAt)}`, { class: 'meta' }));
      if (question.documentRequested)
        item.append(el('p', `Document requested: ${question.documentRequested}`, { class: 'meta' }));
      if (question.answer !== undefined) {
        item.append(el('blockquote', question.answer));
        item.append(
          el('p', `Answered by ${question.answeredBy ?? 'the applicant'}, ${when(question.answeredAt)}`, {
            class: 'meta',
          }),
        );
      } else item.append(el('p', 'Not answered yet', { class: 'meta' }));
      const attached = (status.documents ?? []).filter(
        (d) => d.attachedTo === 'answer' && d.question === index,
      );
      if (attached.length)
        item.append(el('p', `With: ${attached.map((d) => d.name).join(', ')}`, { class: 'meta' }));
      return item;
    }),
  );
}

function renderFlags(status) {
  const review = status.review ?? {};
  const flags = (review.flags ?? []).map((flag) => flag.detail);
  if (review.overdueAt && !status.endState && Date.parse(review.overdueAt) < Date.now())
    flags.push(`overdue since ${when(review.overdueAt)}`);
  $('flags-box').hidden = flags.length === 0;
  $('flags').replaceChildren(...flags.map((flag) => el('li', flag)));
}

function renderIncident(status) {
  const incident = status.incident;
  $('incident-box').hidden = !incident;
  $('incident-form').hidden = !incident || me?.role !== 'operator';
  if (incident)
    fillList($('incident'), [
      ['Step', incident.step],
      ['Since', when(incident.openedAt)],
      ['What failed', incident.reason],
    ]);
}

async function openDetail(enrollmentId, keepMessage = false) {
  const load = ++loads;
  const status = await api('GET', `/enrollments/${encodeURIComponent(enrollmentId)}`);
  // Another enrollment (or a list) opened meanwhile: showing this one now would put its status
  // beside the other's actions. The actions act on `current`: the one shown, once it is.
  if (load !== loads) return;
  current = enrollmentId;
  show('detail');
  window.history.replaceState(null, '', `#enrollment=${encodeURIComponent(enrollmentId)}`);
  if (!keepMessage) say('');
  $('viewer').hidden = true;
  $('detail-title').textContent = `${status.companyName} (${status.enrollmentId})`;
  const review = status.review ?? {};
  const assignee = review.assignee;
  // The review's deadlines and holder matter while it is open; after it, the approvals tell who decided.
  const reviewOpen = !status.endState && ['review', 'information-requested'].includes(status.stage);
  fillList($('summary'), [
    [
      'Stage',
      status.endState ? `${status.stage} (${status.endState}: ${status.endReason ?? ''})` : status.stage,
    ],
    ['Due', when(status.dueAt)],
    ['Review escalates', reviewOpen && when(review.dueAt)],
    ['Review overdue', reviewOpen && when(review.overdueAt)],
    [
      'Held by',
      reviewOpen &&
        (assignee
          ? `${assignee.holder} since ${when(assignee.since)}${assignee.assignedBy ? `, assigned by ${assignee.assignedBy}` : ''}`
          : 'nobody'),
    ],
    ['Approvals', `${review.approvals?.length ?? 0} of ${review.approvalsNeeded ?? 1}`],
  ]);
  renderFlags(status);
  renderIncident(status);
  const account = status.account ?? {};
  fillList($('organization'), [
    ['Company', status.companyName],
    ['Registration number', status.registrationNumber],
    ['Phone in China', status.organizationPhone],
    ['Global admin', person(status.globalAdmin)],
    [
      'Work account',
      account.tenantDomain && `${account.tenantDomain}${account.existing ? ' (existing)' : ' (created)'}`,
    ],
    ['Partner account', account.partnerAccountId],
    ['Owner (applicant account)', status.owner],
  ]);
  const application = status.application;
  const profile = application?.businessProfile;
  const support = application?.customerSupport;
  fillList($('application'), [
    ['MPN ID', application?.mpnId],
    ['Legal name', profile?.legalName],
    ['Legal representative', profile?.legalRepresentative],
    ['Address', profile && Object.values(profile.address).filter(Boolean).join(', ')],
    ['Support site', support?.url],
    ['Support email', support?.email],
    ['Support phone', support?.phone],
    ['Partner Center reference', status.applicationReference],
    ['Application', application ? undefined : 'not submitted yet'],
  ]);
  const contacts = application?.approvalContacts ?? [];
  $('contacts-table').hidden = contacts.length === 0;
  $('contacts').replaceChildren(
    ...contacts.map((contact) => {
      const row = el('tr');
      row.append(
        el('td', `${contact.firstName} ${contact.lastName}`),
        el('td', contact.email),
        el('td', contact.phone),
      );
      return row;
    }),
  );
  const credit = review.credit;
  fillList(
    $('credit'),
    credit
      ? [
          ['Decision', credit.decision],
          ['Score', credit.score],
          ['Risk', credit.riskBand],
          ['Name on record', credit.registeredName],
          ['Report', credit.reportReference],
        ]
      : [['Status', 'not available yet']],
  );
  const approvals = review.approvals ?? [];
  $('approvals').replaceChildren(
    ...(approvals.length
      ? approvals.map((approval) =>
          el(
            'li',
            `${approval.reviewer}, ${when(approval.at)}${approval.comment ? ` — ${approval.comment}` : ''}${approval.shared ? ' (shared with the applicant)' : ''}`,
          ),
        )
      : [el('li', 'none yet')]),
  );
  renderQuestions(status);
  renderDocuments(status);
  $('timeline').replaceChildren(
    el('li', `${when(status.startedAt)} — started`),
    ...status.audit
      .filter((entry) => entry.action.startsWith('stage ') || entry.action.startsWith('enrollment '))
      .map((entry) =>
        el('li', `${when(entry.at)} — ${entry.action}${entry.detail ? ` (${readable(entry.detail)})` : ''}`),
      ),
  );
  $('audit').replaceChildren(
    ...status.audit.map((entry) => {
      const row = el('tr', undefined, entry.outcome === 'refused' ? { class: 'refused' } : {});
      row.append(
        el('td', when(entry.at)),
        el('td', entry.actor),
        el('td', entry.action),
        el('td', entry.outcome),
        el('td', readable(entry.detail)),
      );
      return row;
    }),
  );
  const reviewing = ['review', 'information-requested'].includes(status.stage);
  const deciding = me?.role === 'reviewer' || me?.role === 'review-lead';
  $('decision-form').hidden = status.stage !== 'review' || !deciding;
  $('claim').hidden = !reviewing || !!assignee || !deciding;
  $('release').hidden = !reviewing || !assignee || !deciding;
  if (!keepMessage) $('detail-title').focus();
}

/** Runs an action; a refusal (409) or bad input (400) is shown as the API worded it. */
async function act(path, body, done) {
  try {
    const result = await api('POST', `/enrollments/${encodeURIComponent(current)}/${path}`, body);
    await openDetail(current, true);
    say(`${done}: ${result.message}. Stage: ${result.stage}.`, 'ok', true);
    return true;
  } catch (error) {
    const prefix = error.status === 409 ? 'Refused by the workflow' : 'Not done';
    say(`${prefix}: ${error.message}`, 'error', true);
    return false;
  }
}

function required(field, message) {
  if ($(field).value.trim()) {
    $(field).removeAttribute('aria-invalid');
    return true;
  }
  say(message, 'error', true);
  $(field).setAttribute('aria-invalid', 'true');
  $(field).focus();
  return false;
}

function decide(event) {
  event.preventDefault();
  const decision = new window.FormData($('decision-form')).get('decision');
  const reason = $('reason').value.trim();
  if (
    decision !== 'approve' &&
    !required('reason', 'A reason is required to reject or to request information.')
  )
    return;
  const documentRequested = $('document-requested').value.trim();
  const body =
    decision === 'approve'
      ? { decision, ...(reason ? { comment: reason, shareCommentWithApplicant: $('share').checked } : {}) }
      : decision === 'request-information'
        ? { decision, reason, ...(documentRequested ? { documentRequested } : {}) }
        : { decision, reason };
  void act('decision', body, 'Decision recorded').then((ok) => {
    if (!ok) return;
    $('reason').value = '';
    $('document-requested').value = '';
    $('share').checked = false;
  });
}

function settleIncident(event) {
  event.preventDefault();
  if (!required('incident-reason', 'A reason is required: every repair is audited.')) return;
  const action = new window.FormData($('incident-form')).get('action');
  const reason = $('incident-reason').value.trim();
  void act('incident', { action, reason }, action === 'retry' ? 'Step run again' : 'Enrollment ended').then(
    (ok) => {
      if (ok) $('incident-reason').value = '';
    },
  );
}

function decisionKindChanged() {
  const decision = new window.FormData($('decision-form')).get('decision');
  $('document-requested-field').hidden = decision !== 'request-information';
  $('share-field').hidden = decision !== 'approve';
}

/* Sign-in and where to go -------------------------------------------------------------------- */

/** After sign-in: the case or view the address names (links in reviewers' emails), else the queue. */
function openFromAddress() {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  const enrollmentId = hash.get('enrollment');
  if (enrollmentId) return openDetail(enrollmentId);
  const named = hash.get('view');
  return openList(VIEWS[named] && allowed(named) ? named : 'queue');
}

function allowed(name) {
  const button = $('views').querySelector(`[data-view="${name}"]`);
  return !button?.dataset.roles || button.dataset.roles.split(' ').includes(me?.role);
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    me = await api('GET', '/me');
    if (me.role === 'applicant')
      throw Object.assign(new Error('The console is for reviewers, review leads and operators.'), {
        status: 403,
      });
    $('whoami').textContent = `Signed in as ${me.role} ${me.id}`;
    $('sign-out').hidden = false;
    $('views').hidden = false;
    for (const button of $('views').querySelectorAll('button')) button.hidden = !allowed(button.dataset.view);
    say('');
    await openFromAddress();
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('views').hidden = true;
    say(error.status === 401 ? 'That token is not valid.' : error.message, 'error', true);
    show('sign-in');
  }
}

function start() {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    $('token').value = '';
    if (token) void signIn(token);
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    me = undefined;
    $('whoami').textContent = '';
    $('sign-out').hidden = true;
    $('views').hidden = true;
    say('');
    show('sign-in');
    $('token').focus();
  });
  for (const button of $('views').querySelectorAll('button'))
    button.addEventListener('click', () => void openList(button.dataset.view).catch(failed));
  for (const form of ['stage-filter', 'search-form'])
    $(form).addEventListener('submit', (event) => {
      event.preventDefault();
      void openList(view).catch(failed);
    });
  $('refresh').addEventListener('click', () => void openList(view).catch(failed));
  $('more').addEventListener('click', () => void openList(view, true).catch(failed));
  $('back').addEventListener('click', () => void openList(view).catch(failed));
  $('reload').addEventListener('click', () => void openDetail(current).catch(failed));
  $('claim').addEventListener('click', () => void act('review/claim', {}, 'Claimed'));
  $('release').addEventListener('click', () => void act('review/release', {}, 'Released'));
  $('decision-form').addEventListener('submit', decide);
  $('decision-form').addEventListener('change', decisionKindChanged);
  $('incident-form').addEventListener('submit', settleIncident);
  decisionKindChanged();
  window.addEventListener('hashchange', () => {
    if (me) void openFromAddress().catch(failed);
  });
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) void signIn(token);
  else $('token').focus();
}

document.addEventListener('DOMContentLoaded', start);
