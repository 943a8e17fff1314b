/**
 * The end-of-run reaper (test/harness/leftover-processes.ts) finds what a process left running,
 * grandchildren included, and kills it; it is tried on a shell of its own, not on jest.
 */
import { spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { descendantsOf, stopLeftoverProcesses } from '../harness/leftover-processes';

test('a grandchild left running is found, named and killed', async () => {
  const shell = spawn('sh', ['-c', 'sleep 120 & sleep 120 & wait'], { stdio: 'ignore' });
  try {
    // Until both have exec'd: a child just forked still shows the shell's command line, and on a
    // loaded machine (CI runs this beside the other suites) that can last seconds.
    const bothSleeping = (entries: ReturnType<typeof descendantsOf>) =>
      entries.length === 2 && entries.every((entry) => entry.command === 'sleep 120');
    let found = descendantsOf(shell.pid!);
    for (const deadline = Date.now() + 30_000; !bothSleeping(found) && Date.now() < deadline;) {
      await delay(50);
      found = descendantsOf(shell.pid!);
    }
    expect(found.map((entry) => entry.command)).toEqual(['sleep 120', 'sleep 120']);

    const written: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(stopLeftoverProcesses(shell.pid!)).toBe(2);
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toContain(`pid ${found[0].pid}: sleep 120`);
    // The shell's `wait` returns once both are killed, and the shell exits.
    await new Promise((resolve) => (shell.exitCode !== null ? resolve(null) : shell.once('exit', resolve)));
    expect(descendantsOf(shell.pid!)).toEqual([]);
  } finally {
    shell.kill('SIGKILL');
  }
});
