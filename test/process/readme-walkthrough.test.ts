/**
 * The README's "Try an enrollment", run exactly as written against a real `npm start`: its
 * commands are read from the README at test time, so the walkthrough cannot drift from what works.
 * Only what differs on a test machine is replaced — the ports (free ones here), the data folder,
 * and the `<code>` the reader copies from the SMS outbox.
 */
import { exec } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startNpmStart, type NpmStart } from '../harness/npm-start';

const run = promisify(exec);
const ROOT = path.resolve(__dirname, '..', '..');

/** The shell commands of the README section `heading`, comments removed, one per line. */
export function readmeCommands(heading: string): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`no sh block under ${heading} in README.md`);
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

let npmStart: NpmStart;
beforeAll(async () => {
  npmStart = await startNpmStart();
}, 180_000);
afterAll(() => npmStart?.close());

test('"Try an enrollment" works as written', async () => {
  const commands = readmeCommands('### Try an enrollment');
  expect(commands.length).toBeGreaterThanOrEqual(6);
  const { ports, dataDir } = npmStart;
  const env = {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(CSP_|TEMPORAL_|SMTP_)/.test(name)),
    ),
    // What a reader's shell has after npm start with its defaults: here, its ports and data folder.
    TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    CSP_DATA_DIR: dataDir,
  };
  let code: string | undefined;
  const transcript: string[] = [];
  for (const written of commands) {
    const command = written
      .replaceAll('127.0.0.1:7380', `127.0.0.1:${ports.simulator}`)
      .replaceAll('<code>', code ?? '<code>');
    const once = () =>
      run(command, { cwd: ROOT, env, timeout: 60_000 }).catch((error: unknown) => {
        const failed = error as { stdout?: string; stderr?: string; code?: number };
        throw new Error(
          `README command failed (exit ${failed.code}): ${written}\n${failed.stdout ?? ''}${failed.stderr ?? ''}\n` +
            `so far:\n${transcript.join('\n')}`,
        );
      });
    let { stdout } = await once();
    // The reader copies the code from the outbox; until the SMS is there, they look again.
    if (written.includes('/__simulator/sms'))
      for (
        let i = 0;
        i < 40 && !(code = (JSON.parse(stdout) as { messages: { code: string }[] }).messages.at(-1)?.code);
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        ({ stdout } = await once());
      }
    transcript.push(`$ ${written}\n${stdout}`);
  }
  expect(code).toMatch(/^\d{6}$/);
  const status = transcript.at(-1)!;
  expect(status).toMatch(/agreement signed/);
  expect(status).toMatch(/stage: (agreement|provisioning|getting-started|ended)/);
}, 300_000);
