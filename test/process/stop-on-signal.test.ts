/**
 * Ctrl-C under the real `npm start` reaches node twice at once (the terminal's SIGINT to the
 * process group, and npm forwarding its own): the echo is ignored and the ordered stop runs to its
 * end; a second Ctrl-C pressed later still exits at once. Runs the compiled module in a process of
 * its own, as the service's programs do.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { REPEATED_SIGNAL_WINDOW_MS } from '../../src/process/stop-on-signal';

const MODULE = path.resolve(__dirname, '..', '..', 'dist', 'src', 'process', 'stop-on-signal.js');

/** A process whose ordered stop takes `closeMs`; resolves once it is ready for signals. */
async function stoppable(closeMs: number) {
  const script = `
    const { stopOnSignal } = require(${JSON.stringify(MODULE)});
    stopOnSignal('test part', async () => {
      await new Promise((resolve) => setTimeout(resolve, ${closeMs}));
      console.log('closed in order');
    });
    setInterval(() => {}, 1000);
    console.log('ready');
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  while (!output.includes('ready')) await delay(20);
  return { child, exited, output: () => output };
}

test('a SIGINT repeated at once (npm and the terminal both send it) does not skip the ordered stop', async () => {
  const part = await stoppable(1_500);
  part.child.kill('SIGINT');
  await delay(50);
  part.child.kill('SIGINT');
  expect(await part.exited).toBe(0);
  expect(part.output()).toContain('closed in order');
  expect(part.output()).not.toContain('exiting now');
});

test('a second Ctrl-C pressed later still exits at once', async () => {
  const part = await stoppable(10_000);
  part.child.kill('SIGINT');
  await delay(REPEATED_SIGNAL_WINDOW_MS + 300);
  part.child.kill('SIGINT');
  expect(await part.exited).toBe(130);
  expect(part.output()).toContain('SIGINT again: exiting now');
  expect(part.output()).not.toContain('closed in order');
});
