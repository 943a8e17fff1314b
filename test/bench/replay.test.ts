/**
 * The bench's replay figure (scripts/bench/replay.ts): a recorded history replayed in a child
 * process gives the workflow code's CPU per replay, and a history the code no longer replays fails
 * the measure instead of timing the failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { replayCost } from '../../scripts/bench/replay';
import { bundleWorkflows } from '../../src/worker/bundle';
import { workflowBundlePath } from '../harness/temporal';

const HAPPY_PATH = path.resolve('test/replay/histories/happy-path.json');

describe('bench replay figure', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replay-test-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays a recorded history and reports its CPU and wall time per replay', async () => {
    const figures = await replayCost({ historyFile: HAPPY_PATH, bundle: workflowBundlePath(), replays: 3 });
    expect(figures.replays).toBe(3);
    // The happy path runs dozens of activations: never free, and nowhere near a second each.
    expect(figures.cpuMsPerReplay).toBeGreaterThan(0);
    expect(figures.cpuMsPerReplay).toBeLessThan(1000);
    expect(figures.wallMsPerReplay).toBeGreaterThanOrEqual(figures.cpuMsPerReplay * 0.5);
  });

  it('fails, naming the history, when the workflow code does not replay it', async () => {
    const incompatible = path.join(dir, 'incompatible-bundle.js');
    fs.writeFileSync(incompatible, await bundleWorkflows(require.resolve('../replay/incompatible')));
    await expect(replayCost({ historyFile: HAPPY_PATH, bundle: incompatible, replays: 1 })).rejects.toThrow(
      /replay of happy-path\.json failed: .*[Nn]ondetermin/,
    );
  });
});
