/**
 * Malformed HTTP requests, as raw bytes: bad request lines and targets, bad percent-escapes, header
 * floods and broken headers, truncated and broken bodies, wrong content types, oversized payloads.
 * `paths` are the routes of the listener under test, so bodies also reach real handlers.
 */
import type { RawRequest } from './raw-http';

const CRLF = '\r\n';
const line = (...parts: string[]) => parts.join(CRLF) + CRLF + CRLF;

function post(path: string, headers: string[], body: string | Buffer): (string | Buffer)[] {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'latin1') : body.length;
  return [
    [
      `POST ${path} HTTP/1.1`,
      'Host: 127.0.0.1',
      ...headers,
      `Content-Length: ${length}`,
      'Connection: close',
    ].join(CRLF) +
      CRLF +
      CRLF,
    body,
  ];
}

export function malformedRequests(paths: string[], oversizedBytes: number): RawRequest[] {
  const at = (i: number) => paths[i % paths.length];
  const json = ['Content-Type: application/json'];
  const nested = '['.repeat(5_000) + ']'.repeat(5_000);
  return [
    { name: 'not HTTP at all', chunks: ['GARBAGE' + CRLF + CRLF] },
    { name: 'request line without target', chunks: [line('GET')] },
    { name: 'unknown HTTP version', chunks: [line('GET / HTTP/9.9', 'Host: x')] },
    { name: 'target //[', chunks: [line('GET //[ HTTP/1.1', 'Host: x', 'Connection: close')] },
    { name: 'asterisk target', chunks: [line('GET * HTTP/1.1', 'Host: x', 'Connection: close')] },
    {
      name: 'absolute target, bad host',
      chunks: [line('GET http://[::1/ HTTP/1.1', 'Host: x', 'Connection: close')],
    },
    { name: 'bad escape at the root', chunks: [line('GET /%E0 HTTP/1.1', 'Host: x', 'Connection: close')] },
    {
      name: 'bad escape in a route',
      chunks: [line(`POST ${at(0)}/%E0 HTTP/1.1`, 'Host: x', 'Content-Length: 0', 'Connection: close')],
    },
    { name: 'bad escape %ZZ', chunks: [line(`GET ${at(1)}%ZZ HTTP/1.1`, 'Host: x', 'Connection: close')] },
    {
      name: 'codec path with a bad escape',
      chunks: [
        line('POST /codec/t/%E0/decode HTTP/1.1', 'Host: x', 'Content-Length: 0', 'Connection: close'),
      ],
    },
    {
      name: 'mailbox path with a bad escape',
      chunks: [line('GET /messages/%E0 HTTP/1.1', 'Host: x', 'Connection: close')],
    },
    {
      name: 'simulator path with a bad escape',
      chunks: [line('GET /__simulator/verifications/%E0%80 HTTP/1.1', 'Host: x', 'Connection: close')],
    },
    { name: 'NUL in the method', chunks: [line('G\u0000ET / HTTP/1.1', 'Host: x')] },
    { name: 'unknown method', chunks: [line(`BREW ${at(2)} HTTP/1.1`, 'Host: x', 'Connection: close')] },
    { name: 'CONNECT', chunks: [line('CONNECT 127.0.0.1:1 HTTP/1.1', 'Host: 127.0.0.1:1')] },
    {
      name: '100 KB target',
      chunks: [line(`GET /${'a'.repeat(100_000)} HTTP/1.1`, 'Host: x', 'Connection: close')],
    },
    {
      name: 'header flood (5,000 headers)',
      chunks: [
        line(
          `GET ${at(3)} HTTP/1.1`,
          'Host: x',
          ...Array.from({ length: 5_000 }, (_, i) => `X-Flood-${i}: ${i}`),
        ),
      ],
    },
    {
      name: 'one 64 KB header',
      chunks: [line(`GET ${at(4)} HTTP/1.1`, 'Host: x', `X-Big: ${'b'.repeat(65_536)}`)],
    },
    {
      name: 'header without a colon',
      chunks: [line(`GET ${at(5)} HTTP/1.1`, 'Host: x', 'This is not a header')],
    },
    { name: 'space in a header name', chunks: [line(`GET ${at(6)} HTTP/1.1`, 'Host: x', 'Bad Header: x')] },
    { name: 'NUL in a header value', chunks: [line(`GET ${at(7)} HTTP/1.1`, 'Host: x', 'X-Nul: a\u0000b')] },
    { name: 'obsolete line folding', chunks: [line(`GET ${at(8)} HTTP/1.1`, 'Host: x', 'X-Fold: a', ' b')] },
    {
      name: 'two different Content-Lengths',
      chunks: [line(`POST ${at(9)} HTTP/1.1`, 'Host: x', 'Content-Length: 2', 'Content-Length: 3'), '{}'],
    },
    {
      name: 'negative Content-Length',
      chunks: [line(`POST ${at(10)} HTTP/1.1`, 'Host: x', 'Content-Length: -1')],
    },
    {
      name: 'Content-Length not a number',
      chunks: [line(`POST ${at(11)} HTTP/1.1`, 'Host: x', 'Content-Length: abc')],
    },
    {
      name: 'chunked and Content-Length',
      chunks: [
        line(`POST ${at(12)} HTTP/1.1`, 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 5'),
        '0\r\n\r\n',
      ],
    },
    {
      name: 'unknown Transfer-Encoding',
      chunks: [
        line(`POST ${at(13)} HTTP/1.1`, 'Host: x', 'Transfer-Encoding: gzip', 'Connection: close'),
        'xx',
      ],
      halfClose: true,
    },
    { name: 'HTTP/1.1 without Host', chunks: [line(`GET ${at(14)} HTTP/1.1`, 'Connection: close')] },
    {
      name: 'body cut short',
      chunks: [line(`POST ${at(15)} HTTP/1.1`, 'Host: x', ...json, 'Content-Length: 100'), '{"payloads":'],
      halfClose: true,
    },
    {
      name: 'bad chunk size',
      chunks: [
        line(`POST ${at(16)} HTTP/1.1`, 'Host: x', ...json, 'Transfer-Encoding: chunked'),
        'ZZ\r\nabc\r\n',
      ],
    },
    {
      name: 'chunked body cut short',
      chunks: [
        line(`POST ${at(17)} HTTP/1.1`, 'Host: x', ...json, 'Transfer-Encoding: chunked'),
        '20\r\n{"a":',
      ],
      halfClose: true,
    },
    { name: 'XML body', chunks: post(at(18), ['Content-Type: text/xml'], '<enrollment/>') },
    {
      name: 'multipart without boundary',
      chunks: post(at(19), ['Content-Type: multipart/form-data'], '--x\r\n\r\n'),
    },
    { name: 'no content type', chunks: post(at(20), [], '{"a":1}') },
    { name: 'JSON cut off', chunks: post(at(21), json, '{"a":') },
    { name: 'JSON nested 5,000 deep', chunks: post(at(22), json, nested) },
    {
      name: 'JSON prototype pollution',
      chunks: post(at(23), json, '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'),
    },
    {
      name: 'UTF-16 charset, invalid bytes',
      chunks: post(
        at(24),
        ['Content-Type: application/json; charset=utf-16'],
        Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x7b]),
      ),
    },
    {
      name: 'invalid UTF-8 JSON',
      chunks: post(at(25), json, Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])),
    },
    { name: 'oversized payload', chunks: post(at(26), json, `{"x":"${'A'.repeat(oversizedBytes)}"}`) },
    {
      name: 'body on GET',
      chunks: [
        line(`GET ${at(27)} HTTP/1.1`, 'Host: x', ...json, 'Content-Length: 7', 'Connection: close'),
        '{"a":1}',
      ],
    },
    {
      name: 'Expect: 100-continue, then nothing',
      chunks: [
        line(`POST ${at(28)} HTTP/1.1`, 'Host: x', ...json, 'Expect: 100-continue', 'Content-Length: 10'),
      ],
      halfClose: true,
    },
  ];
}
