/** Ports free on loopback right now, for the servers we start (tests, benchmarks, npm start). */
import { createServer } from 'node:net';

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Below Linux's ephemeral range (32768-60999). A port in that range can be taken, between the probe
// and the server's listen, by any outgoing connection's local end or by a program listening on port
// 0 (the Temporal dev server picks its internal ports so): npm start then failed with EADDRINUSE.
// Below it, too, Temporal's SQL schema stores membership ports as smallint.
const FROM = 20_000;
const TO = 32_767;
/** Each port is handed out once per process, so servers started together never get the same one. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (handedOut.size > (TO - FROM) / 2) handedOut.clear();
    const candidate = FROM + Math.floor(Math.random() * (TO - FROM + 1));
    if (handedOut.has(candidate)) continue;
    if (await tryListen(candidate)) return (handedOut.add(candidate), candidate);
  }
  throw new Error(`no free port between ${FROM} and ${TO} on 127.0.0.1`);
}
