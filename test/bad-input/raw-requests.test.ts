/**
 * No request takes a process down: the real `npm start` (temp data folder, free ports) gets
 * malformed requests as raw bytes over node:net on every port its processes listen on — found in
 * /proc, so a listener nobody declared is caught too. The service's own servers (API and console,
 * codec server, simulator, development mailbox) must answer each with a 4xx in the service's error
 * shape, or close the connection, never a 5xx; Temporal's dev server and the SDK's metrics endpoint
 * (Rust Core) are not ours to change, but must survive. Afterwards every part answers its health
 * route and both processes still run.
 */
import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import net from 'node:net';
import { alive, startNpmStart, type NpmStart } from '../harness/npm-start';
import { listeningPorts } from './support/listeners';
import { malformedRequests } from './support/malformed-requests';
import { sendRaw, type RawAnswer } from './support/raw-http';

interface Listener {
  port: number;
  part: string;
  /** One of the service's own servers (held to 4xx answers in its error shape). */
  own: boolean;
  /** HTTP/1.1 servers; the others (gRPC, SMTP) get the same bytes and must only survive. */
  http: boolean;
  paths: string[];
  oversizedBytes: number;
}

let npmStart: NpmStart;
beforeAll(async () => {
  npmStart = await startNpmStart();
}, 120_000);
afterAll(() => npmStart?.close(), 60_000);

function listenersOf(running: NpmStart): Listener[] {
  const { ports } = running;
  const ownByPort = new Map<number, Omit<Listener, 'port'>>([
    [
      ports.api,
      {
        part: 'API and console',
        own: true,
        http: true,
        oversizedBytes: 1_000_000,
        paths: ['/enrollments', '/enrollments/enrollment-1/decision', '/reviews', '/console', '/me'],
      },
    ],
    [
      ports.codec,
      {
        part: 'codec server',
        own: true,
        http: true,
        oversizedBytes: 5_000_000,
        paths: ['/codec/decode', '/codec/encode', '/codec/session', '/codec'],
      },
    ],
    [
      ports.simulator,
      {
        part: 'simulator',
        own: true,
        http: true,
        oversizedBytes: 1_000_000,
        paths: [
          '/partner-center/v1/work-accounts',
          '/__simulator/faults',
          '/sms/v1/verifications/v-1/check',
          '/credit-bureau/v1/solvency-checks',
        ],
      },
    ],
    [
      ports.mailboxHttp,
      {
        part: 'development mailbox (HTTP)',
        own: true,
        http: true,
        oversizedBytes: 1_000_000,
        paths: ['/api/messages', '/messages/x', '/'],
      },
    ],
    [
      ports.smtp,
      { part: 'development mailbox (SMTP)', own: true, http: false, oversizedBytes: 100_000, paths: ['/'] },
    ],
    [
      ports.metrics,
      {
        part: 'worker metrics (SDK, Rust Core)',
        own: false,
        http: true,
        oversizedBytes: 100_000,
        paths: ['/metrics'],
      },
    ],
  ]);
  const stat = fs.readFileSync(`/proc/${running.devServerPid}/stat`, 'utf8');
  const watchdog = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  const byPid = listeningPorts([running.process.pid!, watchdog, running.devServerPid]);
  const found: Listener[] = [];
  for (const port of byPid.get(running.process.pid!) ?? []) {
    const known = ownByPort.get(port);
    expect({ port, claimedByAPart: Boolean(known) }).toEqual({ port, claimedByAPart: true });
    found.push({ port, ...known! });
  }
  expect(byPid.get(watchdog)).toEqual([]);
  for (const port of byPid.get(running.devServerPid) ?? [])
    found.push({
      port,
      part:
        port === ports.temporal
          ? 'Temporal frontend (gRPC)'
          : port === ports.ui
            ? 'Temporal UI'
            : 'Temporal dev server (other)',
      own: false,
      http: port === ports.ui,
      paths: ['/', '/api/v1/namespaces', '/api/v1/settings'],
      oversizedBytes: 100_000,
    });
  return found;
}

/** Each part's health route, as its operators would probe it. */
async function healthy(running: NpmStart): Promise<Record<string, boolean>> {
  const { ports } = running;
  const get = async (port: number, path: string) => {
    try {
      return (await fetch(`http://127.0.0.1:${port}${path}`)).status === 200;
    } catch {
      return false;
    }
  };
  const smtpGreets = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(ports.smtp, '127.0.0.1');
      socket.once('data', (data) => {
        socket.end('QUIT\r\n');
        resolve(String(data).startsWith('220'));
      });
      socket.once('error', () => resolve(false));
    });
  const temporalAnswers = async () => {
    const connection = await Connection.connect({
      address: `127.0.0.1:${ports.temporal}`,
      connectTimeout: 5_000,
    });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } catch {
      return false;
    } finally {
      await connection.close();
    }
  };
  return {
    'API and console': await get(ports.api, '/health'),
    'codec server': await get(ports.codec, '/health'),
    simulator: await get(ports.simulator, '/__simulator/health'),
    'development mailbox': (await get(ports.mailboxHttp, '/health')) && (await smtpGreets()),
    'worker metrics': await get(ports.metrics, '/metrics'),
    'Temporal frontend': await temporalAnswers(),
    'Temporal UI': await get(ports.ui, '/healthz'),
  };
}

/** The first response's body: by Content-Length, or its chunks (a second response may follow). */
function firstBody(answer: RawAnswer): string {
  const length = /content-length: (\d+)/i.exec(answer.head)?.[1];
  if (length !== undefined) return answer.body.slice(0, Number(length));
  if (!/transfer-encoding: chunked/i.test(answer.head)) return answer.body;
  let rest = answer.body;
  let body = '';
  for (;;) {
    const size = /^([0-9a-f]+)\r\n/i.exec(rest);
    if (!size || size[1] === '0') return body;
    const start = size[0].length;
    body += rest.slice(start, start + Number.parseInt(size[1], 16));
    rest = rest.slice(start + Number.parseInt(size[1], 16) + 2);
  }
}

/** A 4xx from one of ours must carry `{ error: { code, message } }` (its HTML pages aside). */
function inErrorShape(answer: RawAnswer): boolean {
  if (/content-type: text\/html/i.test(answer.head)) return true;
  try {
    const parsed = JSON.parse(firstBody(answer)) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string';
  } catch {
    return false;
  }
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return results;
}

test('malformed requests to every listener of npm start: no 5xx from ours, every process still answers', async () => {
  const listeners = listenersOf(npmStart);
  const parts = new Set(listeners.map((l) => l.part));
  for (const part of [
    'API and console',
    'codec server',
    'simulator',
    'development mailbox (HTTP)',
    'development mailbox (SMTP)',
    'worker metrics (SDK, Rust Core)',
    'Temporal frontend (gRPC)',
    'Temporal UI',
  ])
    expect({ part, listening: parts.has(part) }).toEqual({ part, listening: true });
  expect(Object.values(await healthy(npmStart)).every(Boolean)).toBe(true);

  const ours = {
    sent: 0,
    serverErrors: [] as string[],
    notInShape: [] as string[],
    unanswered: [] as string[],
  };
  const theirs = { sent: 0, serverErrors: [] as string[] };
  for (const listener of listeners) {
    const requests = malformedRequests(listener.paths, listener.oversizedBytes);
    // HTTP servers answer or close at once; gRPC ports wait for a preface that never comes.
    const answers = await inBatches(requests, listener.http ? 6 : 14, (request) =>
      sendRaw(listener.port, request, listener.http ? 5_000 : 1_000),
    );
    answers.forEach((answer, i) => {
      const what = `${listener.part} :${listener.port} ${requests[i].name}: ${answer.status}`;
      const tally = listener.own ? ours : theirs;
      tally.sent += 1;
      if (listener.own && listener.http && answer.ended === 'timed out') ours.unanswered.push(what);
      if (!listener.http || answer.status === undefined) return;
      if (answer.status >= 500) tally.serverErrors.push(what);
      if (listener.own && answer.status >= 400 && !inErrorShape(answer)) ours.notInShape.push(what);
    });
  }

  const health = await healthy(npmStart);
  const up = Object.values(health).filter(Boolean).length;
  const total = Object.keys(health).length;
  const processesRun = alive(npmStart.process.pid!) && alive(npmStart.devServerPid);
  process.stdout.write(
    `malformed requests ${ours.sent + theirs.sent}, processes alive ${up}/${total}, 5xx ${ours.serverErrors.length}\n` +
      `  (${listeners.length} listeners; the service's own servers got ${ours.sent}; Temporal's and the SDK's got ` +
      `${theirs.sent} and answered 5xx ${theirs.serverErrors.length} times, e.g. ${theirs.serverErrors[0] ?? 'never'})\n`,
  );
  expect(ours.sent + theirs.sent).toBeGreaterThanOrEqual(200);
  expect(ours.serverErrors).toEqual([]);
  expect(ours.notInShape).toEqual([]);
  expect(ours.unanswered).toEqual([]);
  expect(health).toEqual(Object.fromEntries(Object.keys(health).map((part) => [part, true])));
  expect(processesRun).toBe(true);
}, 300_000);
