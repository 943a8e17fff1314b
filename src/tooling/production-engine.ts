/**
 * The production engine on this machine, without Docker: certificates (deploy/tls), PostgreSQL,
 * both schemas (deploy/postgresql), the Temporal server (deploy/temporal) with mutual TLS and SQL
 * advanced visibility, and the namespace with the service's search attributes (src/setup) — the
 * same files and steps docker-compose.yml runs. Used by `npm run stack:production`, the
 * production test suite and `npm run bench -- --engine production`.
 */
import { Connection, type TLSConfig } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setupNamespace } from '../setup/namespace';
import { clientTls, clientTlsEnv, makeCertificates, type TlsClient } from './certificates';
import { deployPath } from './repository';
import { freePort } from './free-port';
import { startPostgres, type LocalPostgres } from './postgres';
import { allocateServerPorts, startTemporalServer, type RunningTemporalServer } from './temporal-server';
import { resolveTemporalServer } from './temporal-server-tools';
import type { Log } from './tool-cache';

export const NAMESPACE = 'default';
const DB_USER = 'temporal';

export interface ProductionEngine {
  dir: string;
  address: string;
  namespace: string;
  tlsDir: string;
  postgres: LocalPostgres;
  server: RunningTemporalServer;
  /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_TLS_* for one client's process. */
  clientEnv(client: TlsClient): Record<string, string>;
  /** The same for a connection made in this process. */
  connectionOptions(client: TlsClient): { address: string; tls: TLSConfig };
  /** Stops the server, then PostgreSQL; the folder stays (the caller owns it). */
  stop(): Promise<void>;
}

/** A password kept beside the cluster (mode 600), so a restarted stack reopens its database. */
function databasePassword(dir: string): string {
  const file = path.join(dir, 'postgres-password');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

export interface ProductionEngineOptions {
  /** Where the server serves Prometheus metrics (its `action` counter, …); none when unset. */
  metricsAddress?: string;
  /** History shards of a new database (the configuration's default otherwise); fixed once used. */
  historyShards?: number;
  /** PostgreSQL or the Temporal server ended without being asked to. */
  onUnexpectedExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export async function startProductionEngine(
  dir: string,
  log: Log = () => {},
  options: ProductionEngineOptions = {},
): Promise<ProductionEngine> {
  fs.mkdirSync(dir, { recursive: true });
  // PostgreSQL's account passes through this folder to its own (see postgres.ts); nothing here is listed.
  fs.chmodSync(dir, 0o711);
  const tools = await resolveTemporalServer(log);
  const tlsDir = path.join(dir, 'tls');
  makeCertificates(tlsDir);
  log(`certificates in ${tlsDir} (deploy/tls/make-certs.sh)`);

  const stops: (() => Promise<void>)[] = [];
  try {
    const postgres = await startPostgres({
      dir: path.join(dir, 'postgresql'),
      port: await freePort(),
      user: DB_USER,
      password: databasePassword(dir),
      onUnexpectedExit: (code, signal) => options.onUnexpectedExit?.('postgresql', code, signal),
    });
    stops.push(() => postgres.stop());
    log(`PostgreSQL on 127.0.0.1:${postgres.port} (data: ${path.join(dir, 'postgresql')})`);

    const schemaLog = fs.openSync(path.join(dir, 'setup-schema.log'), 'w');
    try {
      execFileSync('sh', [deployPath('postgresql', 'setup-schema.sh')], {
        env: {
          ...process.env,
          SQL_HOST: postgres.host,
          SQL_PORT: String(postgres.port),
          SQL_USER: postgres.user,
          SQL_PASSWORD: postgres.password,
          SCHEMA_DIR: tools.schemaDir,
          TEMPORAL_SQL_TOOL: tools.sqlTool,
        },
        stdio: ['ignore', schemaLog, schemaLog],
      });
    } catch {
      throw new Error(`schema setup failed; see ${path.join(dir, 'setup-schema.log')}`);
    } finally {
      fs.closeSync(schemaLog);
    }
    log('schemas of temporal and temporal_visibility up to date (deploy/postgresql/setup-schema.sh)');

    const server = await startTemporalServer({
      binary: tools.server,
      tlsDir,
      db: postgres,
      ports: await allocateServerPorts(),
      logFile: path.join(dir, 'temporal-server.log'),
      clientTls: clientTls(tlsDir, 'cli'),
      metricsAddress: options.metricsAddress,
      historyShards: options.historyShards,
      onUnexpectedExit: (code, signal) => options.onUnexpectedExit?.('temporal-server', code, signal),
    });
    stops.push(() => server.stop());
    log(`Temporal server on ${server.address} (mutual TLS, PostgreSQL visibility)`);

    const connection = await Connection.connect({ address: server.address, tls: clientTls(tlsDir, 'cli') });
    try {
      await setupNamespace(connection, NAMESPACE, log);
    } finally {
      await connection.close();
    }

    return {
      dir,
      address: server.address,
      namespace: NAMESPACE,
      tlsDir,
      postgres,
      server,
      clientEnv: (client) => ({
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: NAMESPACE,
        ...clientTlsEnv(tlsDir, client),
      }),
      connectionOptions: (client) => ({ address: server.address, tls: clientTls(tlsDir, client) }),
      async stop() {
        await server.stop();
        await postgres.stop();
      },
    };
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}
