/** Ports free on loopback right now, for servers that must come back on the same port. */
import { createServer } from 'node:net';

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** A port the system picks (its ephemeral range, above 32767 on Linux). */
export async function freePort(): Promise<number> {
  const port = await tryListen(0);
  if (!port) throw new Error('no free port on 127.0.0.1');
  return port;
}

/**
 * A free port below 32768, probed at random. Temporal's SQL schema stores membership ports as
 * smallint, so its services cannot use the system's ephemeral range.
 */
export async function freeLowPort(from = 20_000, to = 32_767): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const candidate = from + Math.floor(Math.random() * (to - from));
    if (await tryListen(candidate)) return candidate;
  }
  throw new Error(`no free port between ${from} and ${to} on 127.0.0.1`);
}
