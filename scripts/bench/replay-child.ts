/**
 * `node dist/scripts/bench/replay-child.js <history.json> <bundle.js> <replays> [<keys>]`: replays
 * one recorded history `replays` times in this process (after one replay to warm up, which also
 * checks that it replays at all) and prints one JSON line: the main thread's CPU and the wall time
 * per replay. The SDK's replay worker runs the workflow code on the thread that calls it, so that
 * CPU is the workflow code's (activations, conditions, commands, payload conversion) without the
 * server, the network, the activities or the bench's own calls. See replay.ts.
 */
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import fs from 'node:fs';
import { workerDataConverter } from '../../src/codec/data-converter';
import { parseKeyRing } from '../../src/codec/key-ring';
import { cpuSnapshot } from './threads';

/** What the child prints. */
export interface ReplayFigures {
  replays: number;
  cpuMsPerReplay: number;
  wallMsPerReplay: number;
  /** The measured replays' window, CLOCK_MONOTONIC in µs (a CPU profile's clock). */
  fromUs: number;
  toUs: number;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/** Replays before the measured ones. */
const WARM_UP = 30;

function mainThreadSeconds(): number {
  return cpuSnapshot(process.pid)?.threads.get(process.pid)?.seconds ?? NaN;
}

async function replay(label: string, count: number, args: ReplayArgs): Promise<void> {
  const histories = Array.from({ length: count }, (_, i) => ({
    workflowId: `${label}-${i}`,
    history: args.history,
  }));
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { codePath: args.bundle }, dataConverter: args.dataConverter, replayName: label },
    histories,
  )) {
    if (result.error) throw result.error;
  }
}

interface ReplayArgs {
  history: ReturnType<typeof historyFromJSON>;
  bundle: string;
  dataConverter?: ReturnType<typeof workerDataConverter>;
}

async function main(): Promise<void> {
  // The replay worker's state lines would mix with the figures on stdout.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const [historyFile, bundle, replays, keys] = process.argv.slice(2);
  const count = Number(replays);
  if (!historyFile || !bundle || !Number.isInteger(count) || count < 1)
    throw new Error('usage: replay-child <history.json> <bundle.js> <replays> [<keys>]');
  const args: ReplayArgs = {
    history: historyFromJSON(JSON.parse(fs.readFileSync(historyFile, 'utf8'))),
    bundle,
    dataConverter: keys ? workerDataConverter(parseKeyRing(keys)) : undefined,
  };
  // The first replays compile the bundle's code; V8 optimizes it over the next few dozen.
  await replay('warm-up', WARM_UP, args);
  const cpuBefore = mainThreadSeconds();
  const fromUs = nowUs();
  await replay('measured', count, args);
  const toUs = nowUs();
  const figures: ReplayFigures = {
    replays: count,
    cpuMsPerReplay: ((mainThreadSeconds() - cpuBefore) * 1000) / count,
    wallMsPerReplay: (toUs - fromUs) / 1000 / count,
    fromUs,
    toUs,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
