/** Worker child processes for the bench: started, timed until they poll, measured, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildWorker {
  child: ChildProcess;
  /** From spawn to the worker reporting state RUNNING. */
  startMs: number;
  stop(): Promise<void>;
}

export async function startChildWorker(args: string[], env: NodeJS.ProcessEnv): Promise<ChildWorker> {
  const spawned = Date.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const startMs = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      // The SDK logs "Worker state changed" with state RUNNING once it polls.
      if (line.includes('"state":"RUNNING"')) resolve(Date.now() - spawned);
    });
    void exited.then(() => reject(new Error(`worker ${args[0]} exited during start-up`)));
  });
  return {
    child,
    startMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
