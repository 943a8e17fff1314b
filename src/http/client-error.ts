/**
 * Requests too malformed for the HTTP parser (bad request line, oversized or broken headers) never
 * reach a handler: Node reports them on the server's `clientError`. Every server of the service
 * (Fastify's `clientErrorHandler`, the stand-ins' node:http servers) answers them here, with a 4xx
 * in the service's error shape, and closes the connection. Likewise a request without Host.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody } from './errors';

const MESSAGES: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'request headers too large'],
  HPE_INVALID_METHOD: [400, 'malformed request line: unknown method'],
  HPE_INVALID_URL: [400, 'malformed request line: bad request target'],
  HPE_INVALID_VERSION: [400, 'malformed request line: bad HTTP version'],
  HPE_INVALID_HEADER_TOKEN: [400, 'malformed header'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'malformed Content-Length'],
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'both Content-Length and Transfer-Encoding'],
  HPE_INVALID_CHUNK_SIZE: [400, 'malformed chunked body'],
  HPE_INVALID_TRANSFER_ENCODING: [400, 'malformed Transfer-Encoding'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request not received in time'],
};

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // Nothing to answer on a closed socket, or after a response began on this connection.
  const busy = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (error.code === 'ECONNRESET' || !socket.writable || busy) {
    socket.destroy();
    return;
  }
  const [status, message] = MESSAGES[error.code ?? ''] ?? [400, 'malformed HTTP request'];
  const body = JSON.stringify(errorBody('invalid-request', message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/**
 * Node answers an HTTP/1.1 request without Host by itself, with an empty body. Servers turn that
 * off (these options) and refuse such requests in their handlers, in the service's error shape.
 */
export const SERVER_OPTIONS = { requireHostHeader: false } as const;
export const MISSING_HOST = 'HTTP/1.1 requests need a Host header';
export const missingHost = (req: IncomingMessage): boolean =>
  req.httpVersion === '1.1' && req.headers.host === undefined;
