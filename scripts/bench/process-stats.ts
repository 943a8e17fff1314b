/** Peak RSS and CPU time of a child process, read from /proc (Linux). */
import fs from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface ProcessStats {
  peakRssMb: number;
  rssMb: number;
  cpuSeconds: number;
}

export function processStats(pid: number): ProcessStats | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces), from "state" on: utime is 14th overall.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024, cpuSeconds: cpuTicks / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process and its children now running (PostgreSQL: the postmaster and its backends). */
export function processTreeCpuSeconds(pid: number): number {
  const children = fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children].reduce((sum, p) => sum + (processStats(p)?.cpuSeconds ?? 0), 0);
}
