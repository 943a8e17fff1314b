/**
 * One of the service's programs (worker, API, codec server) run as its own process from dist/, as
 * a deployment runs it: its output goes to a log file, it counts as started once a line of its
 * output says so, and it is stopped with SIGTERM (drain) or killed with SIGKILL (crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ownChild } from './child-processes';

export interface ServiceProcessOptions {
  name: string;
  /** A compiled entry point, e.g. dist/src/worker/main.js. */
  entry: string;
  /** node's own flags, before the entry point (the worker's heap limits). */
  nodeArgs?: readonly string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** A line of output that means "started"; its match is returned. */
  ready: RegExp;
  /** Called when the process ends without being asked to (a crash, a kill from outside). */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface ServiceProcess {
  name: string;
  pid: number;
  ready: RegExpMatchArray;
  alive(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const log = fs.createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  ownChild(child);
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  // Its last lines, to say why when it ends during start-up.
  const lastLines: string[] = [];
  const keepTail = (chunk: Buffer) => {
    lastLines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim()),
    );
    lastLines.splice(0, Math.max(0, lastLines.length - 8));
  };
  child.stdout!.on('data', keepTail);
  child.stderr!.on('data', keepTail);
  let expected = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      log.end();
      if (!expected) options.onUnexpectedExit?.(code, signal);
      resolve();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;

  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    // Watches the output that the log file also receives, without pausing it (a paused pipe
    // would block the process on its next write).
    let pending = '';
    const watch = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = options.ready.exec(line);
        if (match) {
          child.stdout!.off('data', watch);
          resolve(match);
          return;
        }
      }
    };
    child.stdout!.on('data', watch);
    expected = true; // a failure during start-up is reported here, not as a crash
    // Watched, not awaited: an exit before the ready line fails the start (exited never rejects).
    void exited.then(() =>
      reject(
        new Error(
          [`${options.name} exited during start-up; see ${options.logFile}`, ...lastLines]
            .map((line, i) => (i ? `    ${line}` : line))
            .join('\n'),
        ),
      ),
    );
  }).finally(() => {
    expected = false;
    child.stdout!.off('data', keepTail);
    child.stderr!.off('data', keepTail);
  });

  const end = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!alive()) return;
    expected = true;
    child.kill(signal);
    // An unreferenced timer: once the process has ended, nothing is left waiting on it.
    const ended = await Promise.race([exited.then(() => true), delay(graceMs, false, { ref: false })]);
    if (!ended) child.kill('SIGKILL');
    await exited;
  };
  return {
    name: options.name,
    pid: child.pid!,
    ready,
    alive,
    stop: (graceMs = 30_000) => end('SIGTERM', graceMs),
    kill: () => end('SIGKILL', 10_000),
  };
}
