/** Reading a request's body in the stand-ins that run on node:http (simulator, object store). */
import type { IncomingMessage } from 'node:http';

/**
 * The body's bytes; once they pass `maxBytes` it fails with `tooLarge()` without reading on, so
 * an oversized upload costs no more memory than the limit.
 */
export async function readRequestBody(
  req: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
