/** Temporal's standard connection settings reach the worker and clients through the configuration. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { temporalSettings } from '../../src/config/temporal';

test('with nothing set, the local dev server and the default namespace', () => {
  const settings = temporalSettings(loadConfig({}));
  expect(settings.connectionOptions.address).toBe('127.0.0.1:7233');
  expect(settings.namespace).toBe('default');
  expect(settings.connectionOptions.apiKey).toBeUndefined();
});

test('Temporal Cloud with an API key: address, namespace, TLS on', () => {
  const settings = temporalSettings(
    loadConfig({
      TEMPORAL_ADDRESS: 'csp-prod.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'csp-prod.a1b2c',
      TEMPORAL_API_KEY: 'secret-api-key',
    }),
  );
  expect(settings.connectionOptions).toMatchObject({
    address: 'csp-prod.a1b2c.tmprl.cloud:7233',
    apiKey: 'secret-api-key',
  });
  expect(settings.connectionOptions.tls).toBeTruthy();
  expect(settings.namespace).toBe('csp-prod.a1b2c');
});

test('a profile of a Temporal config file, with mTLS', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-envconfig-'));
  const file = path.join(dir, 'temporal.toml');
  fs.writeFileSync(
    file,
    [
      '[profile.staging]',
      'address = "temporal.staging.internal:7233"',
      'namespace = "csp-staging"',
      '[profile.staging.tls]',
      'client_cert_data = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----"',
      'client_key_data = "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----"',
    ].join('\n'),
  );
  try {
    const settings = temporalSettings(
      loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' }),
    );
    expect(settings.connectionOptions.address).toBe('temporal.staging.internal:7233');
    expect(settings.namespace).toBe('csp-staging');
    const tls = settings.connectionOptions.tls as { clientCertPair?: { crt: Uint8Array } };
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toContain('BEGIN CERTIFICATE');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
