/**
 * Mutual TLS material for the production engine, made by deploy/tls/make-certs.sh (the same script
 * an operator runs for docker compose or a self-hosted cluster), and how each client uses it.
 */
import type { TLSConfig } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { deployPath } from './repository';

/** The clients make-certs.sh issues a certificate to. */
export type TlsClient = 'worker' | 'api' | 'cli' | 'ui';

/** Makes what is missing in `dir` (CA, server, clients); keeps what is there. */
export function makeCertificates(dir: string): void {
  execFileSync('sh', [deployPath('tls', 'make-certs.sh'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The name every client verifies on the server's certificate, whatever address it dials (as in compose). */
export const SERVER_NAME = 'temporal';

const files = (dir: string, client: TlsClient) => ({
  ca: path.join(dir, 'ca.pem'),
  cert: path.join(dir, client, 'cert.pem'),
  key: path.join(dir, client, 'key.pem'),
});

/** Temporal's standard variables (read by @temporalio/envconfig and the temporal CLI) for one client. */
export function clientTlsEnv(dir: string, client: TlsClient): Record<string, string> {
  const f = files(dir, client);
  return {
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: f.ca,
    TEMPORAL_TLS_CLIENT_CERT_PATH: f.cert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: f.key,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
  };
}

/** The same, as `Connection.connect({ tls })` takes it. */
export function clientTls(dir: string, client: TlsClient): TLSConfig {
  const f = files(dir, client);
  return {
    serverRootCACertificate: fs.readFileSync(f.ca),
    clientCertPair: { crt: fs.readFileSync(f.cert), key: fs.readFileSync(f.key) },
    serverNameOverride: SERVER_NAME,
  };
}
