/* global document, window, sessionStorage, fetch */
/**
 * The reviewer console: the queue of pending reviews, one enrollment's detail, claim and release,
 * and the decision form. Talks to the API with the token kept in sessionStorage. Everything shown
 * goes through textContent, never innerHTML: company names and answers may carry markup.
 */
'use strict';

const TOKEN_KEY = 'csp-console-token';
const $ = (id) => document.getElementById(id);
let current; // the enrollment ID shown in the detail view

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

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function fillList(list, pairs) {
  list.replaceChildren();
  for (const [term, value] of pairs) {
    if (value === undefined || value === null || value === '') continue;
    list.append(el('dt', term), el('dd', value));
  }
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : '');

function show(section) {
  for (const id of ['sign-in', 'queue', 'detail']) $(id).hidden = id !== section;
}

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  try {
    const me = await api('GET', '/me');
    $('whoami').textContent = `Signed in as ${me.role} ${me.id}`;
    $('sign-out').hidden = false;
    say('');
    await openQueue();
  } catch (error) {
    sessionStorage.removeItem(TOKEN_KEY);
    say(error.status === 401 ? 'That token is not valid.' : error.message, 'error', true);
  }
}

async function openQueue() {
  show('queue');
  const rows = $('queue-rows');
  const { items } = await api('GET', '/reviews?pageSize=200');
  rows.replaceChildren();
  for (const item of items) {
    const row = el('tr', undefined, { 'data-enrollment': item.enrollmentId });
    const open = el('button', 'Open', {
      type: 'button',
      'aria-label': `Open ${item.company ?? item.enrollmentId}`,
    });
    open.addEventListener('click', () => void openDetail(item.enrollmentId));
    const action = el('td');
    action.append(open);
    row.append(
      el('td', item.company),
      el('td', item.enrollmentId),
      el('td', when(item.reviewDue)),
      el('td', item.creditRisk),
      el('td', item.reviewAssignee ?? 'nobody'),
      el('td', when(item.heldSince)),
      action,
    );
    rows.append(row);
  }
  $('queue-empty').hidden = items.length > 0;
  $('queue-title').focus();
}

async function openDetail(enrollmentId, keepMessage = false) {
  current = enrollmentId;
  const status = await api('GET', `/enrollments/${encodeURIComponent(enrollmentId)}`);
  show('detail');
  if (!keepMessage) say('');
  $('detail-title').textContent = `${status.companyName} (${status.enrollmentId})`;
  const assignee = status.review?.assignee;
  fillList($('summary'), [
    ['Stage', status.endState ? `${status.stage} (${status.endState})` : status.stage],
    ['Due', when(status.dueAt)],
    ['Review escalates', when(status.review?.dueAt)],
    ['Held by', assignee ? `${assignee.holder} since ${when(assignee.since)}` : 'nobody'],
    ['Approvals', `${status.review?.approvals?.length ?? 0} of ${status.review?.approvalsNeeded ?? 1}`],
  ]);
  const application = status.application;
  fillList($('application'), [
    ['MPN ID', application?.mpnId],
    ['Legal name', application?.businessProfile?.legalName],
    ['Legal representative', application?.businessProfile?.legalRepresentative],
    ['Address', application && Object.values(application.businessProfile.address).filter(Boolean).join(', ')],
    ['Support', application && `${application.customerSupport.url} · ${application.customerSupport.email}`],
    [
      'Contacts',
      application?.approvalContacts?.map((c) => `${c.firstName} ${c.lastName} <${c.email}>`).join('; '),
    ],
  ]);
  const credit = status.review?.credit;
  fillList(
    $('credit'),
    credit
      ? [
          ['Decision', credit.decision],
          ['Score', credit.score],
          ['Risk', credit.riskBand],
          ['Report', credit.reportReference],
        ]
      : [['Status', 'not available yet']],
  );
  const timeline = $('timeline');
  timeline.replaceChildren(
    el('li', `${when(status.startedAt)} — started`),
    ...status.audit
      .filter((entry) => entry.action.startsWith('stage ') || entry.action.startsWith('enrollment '))
      .map((entry) =>
        el('li', `${when(entry.at)} — ${entry.action}${entry.detail ? ` (${entry.detail})` : ''}`),
      ),
  );
  const audit = $('audit');
  audit.replaceChildren(
    ...status.audit.map((entry) => {
      const row = el('tr', undefined, entry.outcome === 'refused' ? { class: 'refused' } : {});
      row.append(
        el('td', when(entry.at)),
        el('td', entry.actor),
        el('td', entry.action),
        el('td', entry.outcome),
        el('td', entry.detail),
      );
      return row;
    }),
  );
  const reviewing = ['review', 'information-requested'].includes(status.stage);
  $('decision-form').hidden = status.stage !== 'review';
  $('claim').hidden = !reviewing || !!assignee;
  $('release').hidden = !reviewing || !assignee;
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

function decide(event) {
  event.preventDefault();
  const decision = new window.FormData($('decision-form')).get('decision');
  const reason = $('reason').value.trim();
  if (decision !== 'approve' && !reason) {
    say('A reason is required to reject or to request information.', 'error', true);
    $('reason').setAttribute('aria-invalid', 'true');
    $('reason').focus();
    return;
  }
  $('reason').removeAttribute('aria-invalid');
  const body =
    decision === 'approve' ? { decision, ...(reason ? { comment: reason } : {}) } : { decision, reason };
  void act('decision', body, 'Decision recorded').then((done) => {
    if (done) $('reason').value = '';
  });
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
    $('whoami').textContent = '';
    $('sign-out').hidden = true;
    say('');
    show('sign-in');
    $('token').focus();
  });
  $('refresh').addEventListener('click', () => void openQueue().catch((e) => say(e.message, 'error', true)));
  $('back').addEventListener('click', () => void openQueue().catch((e) => say(e.message, 'error', true)));
  $('reload').addEventListener(
    'click',
    () => void openDetail(current).catch((e) => say(e.message, 'error', true)),
  );
  $('claim').addEventListener('click', () => void act('review/claim', {}, 'Claimed'));
  $('release').addEventListener('click', () => void act('review/release', {}, 'Released'));
  $('decision-form').addEventListener('submit', decide);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) void signIn(token);
  else $('token').focus();
}

document.addEventListener('DOMContentLoaded', start);
