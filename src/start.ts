/**
 * `npm start`: the whole service on one machine with embedded defaults — the codec server, the
 * Temporal dev server (SQLite under the data folder, Web UI), the external-system simulator, the
 * development mailbox, the worker and the API. Starting again resumes the open enrollments.
 *
 * As in Temporal's samples, a Temporal server that already answers at TEMPORAL_ADDRESS (default
 * 127.0.0.1:CSP_TEMPORAL_PORT) is used — `temporal server start-dev` in another terminal, or
 * `npm run dev`'s — and left running on exit; only when none answers is a dev server started. Either
 * way the namespace and the search attributes are made ready on it (src/setup).
 *
 * It lives or dies as one: if any part dies (the dev server exits, the worker stops, an error
 * escapes a handler), every other part is stopped and npm start exits non-zero. Ctrl-C stops the
 * parts in the reverse order of their start — the API, then the worker draining its tasks while
 * Temporal, the simulator and the mailbox still answer, then those. The dev server runs under a
 * watchdog in its own process group, so it neither gets the terminal's Ctrl-C early nor outlives
 * npm start, even a SIGKILLed one.
 *
 * The banner is for people; every other line it and its parts print is one JSON object.
 */
// First: the modules imported after it are compiled once, then taken from the cache.
import { flushCompileCache } from './process/compile-cache';
import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { loadApiConfig, type ApiConfig } from './api/config';
import { startApi } from './api/start';
import { auditLogFrom } from './integrations/audit/from-config';
import { documentVaultFrom } from './integrations/documents/from-config';
import { startCodecServer } from './codec/codec-server';
import { encryptedDataConverter } from './codec/data-converter';
import { EncryptionCodec } from './codec/encryption-codec';
import { keyRingFrom } from './codec/from-config';
import { codecCorsOrigins, codecOidcFrom } from './codec/server-config';
import { dataPath, loadConfig, type Config } from './config';
import { clientConnectionOptions, serviceClient, temporalSettings } from './config/temporal';
import { createLogger, type Logger, type LogLevel } from './process/logger';
import { explainPortInUse } from './process/port-in-use';
import { stopOnSignal } from './process/stop-on-signal';
import { startDevMailbox, type DevMailbox } from './stand-ins/mailbox/mailbox';
import { startSimulator, type Simulator } from './stand-ins/simulator';
import { setupNamespace } from './setup/namespace';
import { useOrStartDevServer } from './tooling/dev-server';
import { SHUTDOWN_GRACE_SECONDS } from './worker/create-worker';
import { startWorker, type RunningWorker } from './worker/run-worker';
import { installRuntime } from './worker/runtime';

interface Part {
  name: string;
  stop(): Promise<void>;
  /** Said before stopping it, when stopping takes a while. */
  stopping?: string;
}

/** Called when a part ends on its own: everything stops, npm start exits non-zero. */
type PartDied = (name: string, how: string) => void;

/** The parts' loggers: each names its component, at the level the parts log at. */
type PartLog = (component: string) => Logger;

async function startAll(
  config: Config,
  apiConfig: ApiConfig,
  parts: Part[],
  died: PartDied,
  partLog: PartLog,
): Promise<string[]> {
  const banner: string[] = [];
  // The data folder holds personal data (mailbox, simulator journal) and the payload key.
  fs.mkdirSync(dataPath(config), { recursive: true, mode: 0o700 });

  // Personal data is encrypted in Temporal; the codec server lets the UI show it to operators.
  const keyRing = keyRingFrom(config, { createDevelopmentKey: true });
  const settings = temporalSettings(config, `127.0.0.1:${config.CSP_TEMPORAL_PORT}`);
  const operatorToken = config.CSP_OPERATOR_TOKEN ?? randomBytes(18).toString('base64url');
  const codecServer = await startCodecServer({
    codec: new EncryptionCodec(keyRing),
    operatorToken,
    oidc: codecOidcFrom(config),
    namespaces: [settings.namespace],
    corsOrigins: codecCorsOrigins(config),
    host: config.CSP_CODEC_HOST,
    port: config.CSP_CODEC_PORT,
    log: partLog('codec-server'),
  });
  parts.push({ name: 'codec server', stop: codecServer.close });

  const { tls, apiKey, metadata, address = '' } = settings.connectionOptions;
  // No codec endpoint in the dev server's settings: its UI cannot send credentials to a cluster-wide
  // endpoint, and the token must not ride in a URL. Each browser signs in on the codec server's
  // page once and points Temporal UI there with credentials (see README, personal data).
  const temporal = await useOrStartDevServer(
    { address, tls, apiKey, metadata },
    {
      dbFile: dataPath(config, 'temporal.sqlite'),
      uiPort: config.CSP_TEMPORAL_UI_PORT,
      logFile: dataPath(config, 'temporal.log'),
    },
  );
  const { started } = temporal;
  if (started) {
    parts.push({ name: 'Temporal dev server', stop: started.stop });
    void started.exited.then((code) => died('Temporal dev server', `exited (code ${code})`));
    banner.push(
      `Temporal           started a dev server at ${started.address} (pid ${started.pid}; data: ${dataPath(config, 'temporal.sqlite')})`,
      `Temporal Web UI    ${started.uiUrl}`,
    );
  } else {
    // Not a part: whoever started it stops it.
    banner.push(
      `Temporal           using the server already running at ${temporal.address} (left running on exit)`,
    );
  }
  const connection = await Connection.connect(
    clientConnectionOptions({ ...settings.connectionOptions, address: temporal.address }),
  );
  parts.push({ name: 'Temporal connection', stop: () => connection.close() });
  await setupNamespace(connection, settings.namespace);
  banner.push(`Namespace          ${settings.namespace} (search attributes registered)`);
  banner.push(
    `Codec server       ${codecServer.url}/codec (sign in there once so Temporal UI shows payloads decoded)`,
  );
  banner.push(`Operator token     ${operatorToken}`);

  const external = [config.CSP_PARTNER_CENTER_URL, config.CSP_CREDIT_BUREAU_URL, config.CSP_SMS_GATEWAY_URL];
  if (external.some((url) => !url)) {
    const simulator: Simulator = await startSimulator({
      host: '127.0.0.1',
      port: config.CSP_SIMULATOR_PORT,
      provisioningMs: 5_000,
      stateFile: dataPath(config, 'simulator.jsonl'),
    });
    parts.push({ name: 'simulator', stop: simulator.close });
    banner.push(
      `Simulator          ${simulator.url} (Partner Center, credit bureau, SMS; see docs/simulator.md)`,
    );
  }

  if (!config.SMTP_HOST) {
    const mailbox: DevMailbox = await startDevMailbox({
      host: '127.0.0.1',
      port: config.SMTP_PORT,
      httpPort: config.CSP_MAILBOX_HTTP_PORT,
      storeFile: dataPath(config, 'mailbox.jsonl'),
    });
    parts.push({ name: 'development mailbox', stop: mailbox.close });
    banner.push(`Mailbox            ${mailbox.httpUrl} (SMTP on 127.0.0.1:${mailbox.smtpPort})`);
  }

  const worker: RunningWorker = await startWorker({ ...config, TEMPORAL_ADDRESS: temporal.address });
  parts.push({
    name: 'worker',
    stop: worker.stop,
    stopping: `running activities get up to ${SHUTDOWN_GRACE_SECONDS} s to finish`,
  });
  // Watched like the dev server: both outcomes are handled here.
  void worker.done.then(
    () => died('worker', 'stopped'),
    (error: unknown) => died('worker', `failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  if (config.CSP_METRICS_PORT)
    banner.push(`Metrics            http://${config.CSP_METRICS_HOST}:${config.CSP_METRICS_PORT}/metrics`);
  banner.push(`Worker             task queue ${config.CSP_TASK_QUEUE}`);

  const api = await startApi({
    client: serviceClient(connection, settings.namespace, encryptedDataConverter(keyRing)),
    taskQueue: config.CSP_TASK_QUEUE,
    config: apiConfig,
    keyRing,
    documents: documentVaultFrom(config, keyRing),
    auditLog: auditLogFrom(config),
    log: partLog('api'),
  });
  parts.push({ name: 'API', stop: api.close });
  banner.push(`API                ${api.url} (OpenAPI: ${api.url}/openapi.json; see docs/api.md)`);
  banner.push(`Reviewer console   ${api.url}/console`);
  banner.push(...api.banner);
  return banner;
}

const root = createLogger();
const log = root.child({ component: 'npm-start' });

async function main(): Promise<void> {
  const config = loadConfig();
  let apiConfig: ApiConfig | undefined;
  // The parts say only warnings unless CSP_LOG_LEVEL asks for more, so the banner stays readable;
  // npm start's own few lines (what stopped, and why) always show.
  const level: LogLevel = process.env.CSP_LOG_LEVEL ? config.CSP_LOG_LEVEL : 'WARN';
  const partLog: PartLog = (component) => root.child({ component }, { level: level.toLowerCase() });
  const parts: Part[] = [];
  const stop = stopOnSignal(
    'CSP Enrollment Orchestrator',
    async () => {
      for (const part of [...parts].reverse()) {
        if (part.stopping) log.info(`stopping the ${part.name}: ${part.stopping}`);
        await part
          .stop()
          .catch((error: unknown) => log.error({ error }, `${part.name} did not stop cleanly`));
        log.info(`${part.name} stopped`);
      }
    },
    log,
  );
  // Idempotent: a part that ends while everything stops changes nothing.
  const died: PartDied = (name, how) => void stop(1, `${name} ${how}`);
  process.on('uncaughtException', (error) => died('npm start', `failed: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (error) => died('npm start', `failed: ${String(error)}`));

  try {
    // Metrics as in production. The SDK must not stop the worker on Ctrl-C by itself: the parts
    // stop in order (above).
    installRuntime({
      log: partLog('worker'),
      logLevel: level,
      metricsAddress: config.CSP_METRICS_PORT
        ? `${config.CSP_METRICS_HOST}:${config.CSP_METRICS_PORT}`
        : undefined,
      shutdownSignals: [],
    });
    apiConfig = loadApiConfig();
    const banner = await startAll(config, apiConfig, parts, died, partLog);
    console.log(
      [
        '',
        'CSP Enrollment Orchestrator is running',
        ...banner.map((line) => `  ${line}`),
        '',
        'Ctrl-C stops everything.',
      ].join('\n'),
    );
    flushCompileCache();
  } catch (err) {
    const message = explainPortInUse(err instanceof Error ? err.message : String(err), {
      CSP_API_PORT: apiConfig?.CSP_API_PORT,
      CSP_CODEC_PORT: config.CSP_CODEC_PORT,
      CSP_TEMPORAL_PORT: config.CSP_TEMPORAL_PORT,
      CSP_TEMPORAL_UI_PORT: config.CSP_TEMPORAL_UI_PORT,
      CSP_SIMULATOR_PORT: config.CSP_SIMULATOR_PORT,
      SMTP_PORT: config.SMTP_PORT,
      CSP_MAILBOX_HTTP_PORT: config.CSP_MAILBOX_HTTP_PORT,
      CSP_METRICS_PORT: config.CSP_METRICS_PORT,
    });
    await stop(1, `start-up failed: ${message}`);
  }
}

// The program's entry: main() turns every failure into an ordered stop and an exit code.
void main();
