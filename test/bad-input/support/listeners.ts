/**
 * Every TCP port some processes listen on, read from /proc (Linux): the socket inodes of their
 * open descriptors, matched with the kernel's table of listening sockets. So the suite finds each
 * listener npm start's parts open, those it was not told about included.
 */
import fs from 'node:fs';

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

const LISTEN = '0A';

/** Listening ports by owner PID. */
export function listeningPorts(pids: number[]): Map<number, number[]> {
  const byInode = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const row of fs.readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === LISTEN) byInode.set(fields[9], Number.parseInt(fields[1].split(':').at(-1)!, 16));
    }
  }
  return new Map(
    pids.map((pid) => [
      pid,
      [...socketInodes(pid)]
        .flatMap((inode) => (byInode.has(inode) ? [byInode.get(inode)!] : []))
        .sort((a, b) => a - b),
    ]),
  );
}
