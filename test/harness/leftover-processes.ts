/**
 * Processes a suite started and never stopped (a worker, a server) outlive jest and keep its
 * output pipe open, so a finished run never ends. At the end of the run, whatever still descends
 * from this process is named on stderr and killed: the leak shows, and the run still ends.
 * Linux only (reads /proc); elsewhere it finds nothing.
 */
import fs from 'node:fs';

interface ProcessEntry {
  pid: number;
  parent: number;
  command: string;
}

function processTable(): ProcessEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const table: ProcessEntry[] = [];
  for (const name of names) {
    try {
      // stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'.
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      table.push({ pid: Number(name), parent, command });
    } catch {
      // Gone while we looked.
    }
  }
  return table;
}

export function descendantsOf(root: number): ProcessEntry[] {
  const table = processTable();
  const found: ProcessEntry[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const entry of table.filter((candidate) => candidate.parent === parent)) {
      found.push(entry);
      frontier.push(entry.pid);
    }
  }
  return found;
}

/** Kills what is left and says what it was; returns how many there were. */
export function stopLeftoverProcesses(root: number = process.pid): number {
  const leftovers = descendantsOf(root);
  for (const entry of leftovers) {
    process.stderr.write(
      `[tests] left running by a suite, now killed: pid ${entry.pid}: ${entry.command.slice(0, 200)}\n`,
    );
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return leftovers.length;
}
