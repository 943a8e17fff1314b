/**
 * One request as raw bytes over node:net (no HTTP client, which would refuse to send them), and
 * what came back: the status of the first response line, if there was one.
 */
import net from 'node:net';

export interface RawRequest {
  name: string;
  /** Written in order; strings as latin1, so any byte can be sent. */
  chunks: (string | Buffer)[];
  /** Half-close after writing (a body cut short); otherwise wait for the answer. */
  halfClose?: boolean;
}

export interface RawAnswer {
  /** HTTP status of the first response line; undefined when none came (closed, timed out, not HTTP). */
  status?: number;
  head: string;
  body: string;
  /** How the exchange ended. */
  ended: 'answered' | 'closed' | 'timed out' | 'reset';
}

export function sendRaw(port: number, request: RawRequest, waitMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let settled = false;
    const socket = net.connect(port, '127.0.0.1');
    const finish = (ended: RawAnswer['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const at = text.indexOf('\r\n\r\n');
      const head = at >= 0 ? text.slice(0, at) : text;
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({
        status: status ? Number(status) : undefined,
        head,
        body: at >= 0 ? text.slice(at + 4) : '',
        ended: ended === 'closed' && status ? 'answered' : ended,
      });
    };
    const timer = setTimeout(() => finish('timed out'), waitMs);
    socket.on('connect', () => {
      for (const chunk of request.chunks)
        socket.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
      if (request.halfClose) socket.end();
    });
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', () => finish(received.length ? 'closed' : 'reset'));
  });
}
