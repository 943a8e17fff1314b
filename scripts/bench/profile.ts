/**
 * `--profile`: reads the V8 CPU profiles a worker child wrote (`node --cpu-prof`, one file per
 * thread, the workflow thread's included) over one bench phase, and sums self time by function
 * and, on the main thread, by what the time was spent for: the activities (and their largest
 * items: files of the service, packages), the payload codec, the SDK's JavaScript side, GC.
 *
 * The profiler samples a thread whenever it is not idle, also while it waits for a core, so on a
 * busy machine its time exceeds the thread's CPU. Each thread's sampled time is therefore scaled
 * to the CPU /proc gave it over the phase (when given): the shares are the profile's, the
 * milliseconds the CPU's.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ThreadTag } from './threads';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  function: string;
  where: string;
  /** Milliseconds of self time per run of the phase (CPU when calibrated). */
  msPerRun: number;
  /** Of the thread's sampled time (idle left out). */
  share: number;
}

export interface ThreadProfile {
  kind: ThreadTag['kind'];
  threadId: number;
  file: string;
  /** Sampled busy time per run (idle left out), before scaling to CPU. */
  sampledMsPerRun: number;
  /** Sampled time to CPU time: what every figure of this thread was multiplied by (1: not calibrated). */
  scale: number;
  top: FunctionTime[];
}

export interface ProfileSummary {
  dir: string;
  threads: ThreadProfile[];
  /** The main thread's busy time per run, by what it was for. */
  mainByPurpose: Record<string, number>;
  /** The activities' share of the main thread, per run, by file or package, largest first. */
  activityItems: { item: string; msPerRun: number }[];
  activityFunctions: FunctionTime[];
}

/**
 * Where each module of a webpack bundle starts: its `/***\/ "./path"` header lines; webpack's own
 * runtime (`/******\/` lines) follows the last module.
 */
function bundleModules(file: string): { line: number; module: string }[] {
  const modules: { line: number; module: string }[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const match = /^\/\*\*\*\/ "(.+)"$/.exec(text);
      if (match) modules.push({ line, module: match[1] });
      else if (
        modules.length &&
        text.startsWith('/******/') &&
        modules.at(-1)!.module !== '(webpack runtime)'
      )
        modules.push({ line, module: '(webpack runtime)' });
    });
  return modules;
}

/** A short place for a frame: `package/file`, `src/…` (the service), a bundle's module, `node:…`. */
function placer(bundles: string[]) {
  const indexes = new Map(bundles.map((file) => [path.resolve(file), bundleModules(file)]));
  const root = path.resolve('dist') + path.sep;
  return (frame: CallFrame): string => {
    const file = frame.url.replace(/^file:\/\//, '');
    const modules = indexes.get(file);
    if (modules) {
      let module = '(bundle)';
      for (const m of modules) if (m.line <= frame.lineNumber) module = m.module;
      return `bundle: ${module.replace(/^\.\/(node_modules\/|dist\/)?/, '')}`;
    }
    const inModules = file.lastIndexOf('/node_modules/');
    if (inModules >= 0) return file.slice(inModules + '/node_modules/'.length);
    if (file.startsWith(root)) return file.slice(root.length);
    return file;
  };
}

/**
 * The package (or `src/…` file of the service) a place belongs to; none for Node's own code, but
 * for what in this worker only the activities use from JavaScript (gRPC is the SDK core's, in
 * Rust): HTTP to the external services (node:http; fetch before), sockets (HTTP, SMTP) and files
 * (the audit log, documents).
 */
function ownerOf(place: string): string | undefined {
  if (!place || place.startsWith('bundle: ')) return undefined;
  if (/^node:internal\/(deps\/undici|webstreams)/.test(place)) return 'undici (fetch)';
  if (/^node:(_http_\w+|https?|internal\/http)\b/.test(place)) return 'node:http (HTTP)';
  if (/^node:(net|tls|dns|internal\/(net|tls|dns|stream_base_commons))\b/.test(place))
    return 'node:net (sockets)';
  if (/^node:(fs|internal\/fs)\b/.test(place)) return 'node:fs (files)';
  if (place.startsWith('node:')) return undefined;
  if (place.startsWith('src/') || place.startsWith('scripts/')) return place;
  const parts = place.split('/');
  return place.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The activities' own code and what only they use; the baseline's no-op activity is in its worker. */
const ACTIVITY_CODE =
  /^src\/(activities|integrations|audit|domain)\/|^scripts\/bench\/baseline-worker|^(nodemailer|undici \(fetch\)|node:http \(HTTP\)|node:net \(sockets\)|node:fs \(files\))$/;
const SDK_CODE = /^(@temporalio\/|protobufjs$|long$|rxjs$)/;

/** What a main-thread sample was for, from the nearest frame that tells. */
function purposeOf(owners: (string | undefined)[], leaf: string): string {
  for (const owner of owners) {
    if (!owner) continue;
    if (owner.startsWith('src/codec/')) return 'payload codec';
    if (ACTIVITY_CODE.test(owner)) return 'activities';
    if (SDK_CODE.test(owner)) return 'SDK (JavaScript side)';
  }
  if (leaf === '(garbage collector)') return 'GC';
  if (leaf === '(program)') return 'native and V8 (program)';
  return 'other';
}

/** Self time of each sample, in µs, inside [fromUs, toUs] (CLOCK_MONOTONIC, as process.hrtime). */
function samplesIn(profile: CpuProfile, fromUs: number, toUs: number): { node: number; us: number }[] {
  const out: { node: number; us: number }[] = [];
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    const next = profile.timeDeltas[i + 1] ?? 0;
    if (at >= fromUs && at <= toUs) out.push({ node: profile.samples[i], us: next });
  }
  return out;
}

const IGNORED = new Set(['(idle)', '(root)']);

export function summarizeProfiles(options: {
  dir: string;
  tags: ThreadTag[];
  bundles: string[];
  fromUs: number;
  toUs: number;
  runs: number;
  /** CPU per run from /proc, by kind of thread, to scale the sampled time to. */
  cpuMsPerRun?: Partial<Record<ThreadTag['kind'], number>>;
  top?: number;
}): ProfileSummary {
  const { dir, tags, fromUs, toUs } = options;
  const runs = Math.max(1, options.runs);
  const topN = options.top ?? 15;
  const place = placer(options.bundles);
  const kindOf = new Map(tags.map((t) => [t.threadId, t.kind]));
  const key = (f: CallFrame) => `${f.functionName || '(anonymous)'}\u0000${place(f)}`;
  const add = (map: Map<string, number>, k: string, us: number) => map.set(k, (map.get(k) ?? 0) + us);

  const sampled: {
    kind: ThreadTag['kind'];
    threadId: number;
    file: string;
    busyUs: number;
    self: Map<string, number>;
  }[] = [];
  const purposes = new Map<string, number>();
  const activityItems = new Map<string, number>();
  const activitySelf = new Map<string, number>();
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  for (const file of files) {
    // CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile
    const threadId = Number(file.split('.').at(-3));
    const kind = kindOf.get(threadId) ?? (threadId === 0 ? 'main' : 'worker');
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const self = new Map<string, number>();
    let busyUs = 0;
    for (const { node, us } of samplesIn(profile, fromUs, toUs)) {
      const frame = byId.get(node)!.callFrame;
      if (IGNORED.has(frame.functionName)) continue;
      busyUs += us;
      add(self, key(frame), us);
      if (kind !== 'main') continue;
      const owners: (string | undefined)[] = [];
      for (let id: number | undefined = node; id !== undefined; id = parent.get(id))
        owners.push(ownerOf(place(byId.get(id)!.callFrame)));
      const purpose = purposeOf(owners, frame.functionName);
      add(purposes, purpose, us);
      if (purpose === 'activities') {
        add(activityItems, owners.find(Boolean) ?? 'node internals', us);
        add(activitySelf, key(frame), us);
      }
    }
    sampled.push({ kind, threadId, file: path.join(dir, file), busyUs, self });
  }

  // One scale per kind of thread: /proc gives the CPU of all the workflow threads together.
  const scaleOf = (kind: ThreadTag['kind']) => {
    const cpuMs = options.cpuMsPerRun?.[kind];
    const busyMs = sampled.filter((t) => t.kind === kind).reduce((sum, t) => sum + t.busyUs, 0) / 1000 / runs;
    return cpuMs !== undefined && Number.isFinite(cpuMs) && busyMs > 0 ? cpuMs / busyMs : 1;
  };
  const mainScale = scaleOf('main');
  const mainBusyUs = sampled.filter((t) => t.kind === 'main').reduce((sum, t) => sum + t.busyUs, 0);
  const ms = (us: number, scale: number) => round((us / 1000 / runs) * scale);
  return {
    dir,
    threads: sampled
      .sort((a, b) => a.threadId - b.threadId)
      .map((t) => ({
        kind: t.kind,
        threadId: t.threadId,
        file: t.file,
        sampledMsPerRun: ms(t.busyUs, 1),
        scale: round(scaleOf(t.kind)),
        top: topFunctions(t.self, t.busyUs, topN, (us) => ms(us, scaleOf(t.kind))),
      })),
    mainByPurpose: Object.fromEntries(
      [...purposes].sort(([, a], [, b]) => b - a).map(([purpose, us]) => [purpose, ms(us, mainScale)]),
    ),
    activityItems: [...activityItems]
      .sort(([, a], [, b]) => b - a)
      .slice(0, topN)
      .map(([item, us]) => ({ item, msPerRun: ms(us, mainScale) })),
    activityFunctions: topFunctions(activitySelf, mainBusyUs, topN, (us) => ms(us, mainScale)),
  };
}

function topFunctions(
  self: Map<string, number>,
  busyUs: number,
  n: number,
  msPerRun: (us: number) => number,
): FunctionTime[] {
  return [...self]
    .sort(([, a], [, b]) => b - a)
    .slice(0, n)
    .map(([k, us]) => {
      const [fn, where] = k.split('\u0000');
      return { function: fn, where, msPerRun: msPerRun(us), share: round(us / Math.max(1, busyUs)) };
    });
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** The summary as lines for stdout; `what` names what was profiled ("the enrollment worker"). */
export function profileLines(what: string, summary: ProfileSummary): string[] {
  const lines = [
    `profile of ${what} (${path.relative(process.cwd(), summary.dir)}): self time per run, ` +
      `scaled to each thread's CPU`,
  ];
  const table = (rows: FunctionTime[]) =>
    rows.map(
      (r, i) =>
        `  ${String(i + 1).padStart(2)}. ${r.msPerRun.toFixed(3).padStart(8)} ms ${(r.share * 100).toFixed(1).padStart(5)} %  ${r.function}  (${r.where})`,
    );
  for (const thread of summary.threads) {
    if (thread.sampledMsPerRun === 0) continue;
    lines.push(
      `${thread.kind} thread (#${thread.threadId}): sampled ${thread.sampledMsPerRun} ms per run, ` +
        `x ${thread.scale} to CPU; top ${thread.top.length} by self time:`,
      ...table(thread.top),
    );
  }
  const purposes = Object.entries(summary.mainByPurpose);
  if (purposes.length)
    lines.push(`main thread by purpose, ms per run: ${purposes.map(([p, ms]) => `${p} ${ms}`).join(', ')}`);
  if (summary.activityItems.length)
    lines.push(
      `activities on the main thread, largest items, ms per run: ` +
        summary.activityItems.map((i) => `${i.item} ${i.msPerRun}`).join(', '),
      `activities' functions by self time:`,
      ...table(summary.activityFunctions),
    );
  return lines;
}
