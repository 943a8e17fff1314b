/**
 * `npm start`: the whole service on one machine with embedded defaults — the Temporal dev server
 * (SQLite under the data folder, Web UI), the external-system simulator, the development mailbox
 * and the worker. Ctrl-C stops everything; starting again resumes the open enrollments.
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { loadApiConfig } from './api/config';
import { startApi } from './api/start';
import { randomBytes } from 'node:crypto';
import { startCodecServer } from './codec/codec-server';
import { encryptedDataConverter } from './codec/data-converter';
import { EncryptionCodec } from './codec/encryption-codec';
import { keyRingFrom } from './codec/from-config';
import { dataPath, loadConfig, type Config } from './config';
import { startDevMailbox, type DevMailbox } from './integrations/mail/dev-mailbox';
import { startSimulator, type Simulator } from './integrations/simulator';
import { resolveTemporalCli } from './tooling/temporal-tools';
import { startDevServer, type RunningDevServer } from './tooling/dev-server';
import { startWorker, type RunningWorker } from './worker/run-worker';
import { installRuntime } from './worker/runtime';

interface Part {
  name: string;
  stop(): Promise<void>;
}

async function startAll(config: Config, parts: Part[]): Promise<string[]> {
  const banner: string[] = [];
  fs.mkdirSync(dataPath(config), { recursive: true });

  // Personal data is encrypted in Temporal; the codec server lets the UI show it to operators.
  const keyRing = keyRingFrom(config);
  const operatorToken = config.CSP_OPERATOR_TOKEN ?? randomBytes(18).toString('base64url');
  const codecServer = await startCodecServer({
    codec: new EncryptionCodec(keyRing),
    operatorToken,
    namespaces: [config.TEMPORAL_NAMESPACE ?? 'default'],
    corsOrigins: config.CSP_CODEC_CORS_ORIGINS,
    host: config.CSP_CODEC_HOST,
    port: config.CSP_CODEC_PORT,
  });
  parts.push({ name: 'codec server', stop: codecServer.close });

  const cli = await resolveTemporalCli();
  const temporal: RunningDevServer = await startDevServer({
    cli,
    dbFile: dataPath(config, 'temporal.sqlite'),
    ip: '127.0.0.1',
    port: config.CSP_TEMPORAL_PORT,
    uiPort: config.CSP_TEMPORAL_UI_PORT,
    logFile: dataPath(config, 'temporal.log'),
    // The dev server's UI cannot send an Authorization header, so the token rides in the path (loopback only).
    uiCodecEndpoint: `${codecServer.url}/codec/t/${operatorToken}`,
  });
  parts.push({ name: 'Temporal dev server', stop: temporal.stop });
  banner.push(`Temporal server    ${temporal.address} (data: ${dataPath(config, 'temporal.sqlite')})`);
  banner.push(`Temporal Web UI    ${temporal.uiUrl} (payloads decoded through ${codecServer.url}/codec)`);
  banner.push(`Operator token     ${operatorToken} (codec server: Authorization: Bearer <token>)`);

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
  if (config.CSP_METRICS_PORT)
    banner.push(`Metrics            http://${config.CSP_METRICS_HOST}:${config.CSP_METRICS_PORT}/metrics`);
  parts.push({ name: 'worker', stop: worker.stop });
  banner.push(`Worker             task queue ${config.CSP_TASK_QUEUE}`);

  const connection = await Connection.connect({ address: temporal.address });
  const api = await startApi({
    client: new Client({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter: encryptedDataConverter(keyRing),
    }),
    taskQueue: config.CSP_TASK_QUEUE,
    config: loadApiConfig(),
  });
  parts.push({
    name: 'API',
    stop: async () => {
      await api.close();
      await connection.close();
    },
  });
  banner.push(`API                ${api.url} (OpenAPI: ${api.url}/openapi.json; see docs/api.md)`);
  banner.push(`Reviewer console   ${api.url}/console`);
  banner.push(...api.banner);
  return banner;
}

async function main(): Promise<void> {
  const config = loadConfig();
  // Warnings only on the terminal, so the banner stays readable; metrics as in production.
  installRuntime({
    logLevel: 'WARN',
    format: 'pretty',
    metricsAddress: config.CSP_METRICS_PORT
      ? `${config.CSP_METRICS_HOST}:${config.CSP_METRICS_PORT}`
      : undefined,
  });
  const parts: Part[] = [];
  let stopping = false;
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    for (const part of parts.reverse()) {
      await part.stop().catch((err: unknown) => console.error(`${part.name}: ${String(err)}`));
      console.log(`  ${part.name} stopped`);
    }
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const banner = await startAll(config, parts);
    console.log(
      [
        '',
        'CSP Enrollment Orchestrator is running',
        ...banner.map((line) => `  ${line}`),
        '',
        'Ctrl-C stops everything.',
      ].join('\n'),
    );
  } catch (err) {
    console.error(`start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

void main();
