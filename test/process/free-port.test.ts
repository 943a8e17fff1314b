import { createServer } from 'node:net';
import { freePort } from '../../src/tooling/free-port';

// npm start once failed with EADDRINUSE: a port from the system's ephemeral range had been taken,
// between the probe and the listen, by an outgoing connection's local end.
test('ports are free, distinct and below the ephemeral range, out of reach of port 0 and outgoing connections', async () => {
  const ports: number[] = [];
  for (let i = 0; i < 200; i++) ports.push(await freePort());
  expect(new Set(ports).size).toBe(ports.length);
  for (const port of ports) {
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(32_768);
  }
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ports[0], '127.0.0.1', resolve);
  });
  server.close();
});
