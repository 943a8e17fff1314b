/**
 * A development stand-in for an S3-compatible object store (AWS S3, MinIO): the part of S3's REST
 * contract the document store uses, path-style — PutObject, GetObject, HeadObject, DeleteObject
 * and ListObjectsV2 — with S3's XML errors. Objects live in memory. Requests must be signed
 * (`Authorization: AWS4-HMAC-SHA256 …`, as every SDK sends); the signature itself is not checked.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerClientError, SERVER_OPTIONS } from '../../http/client-error';
import { readRequestBody } from '../request-body';

interface StoredObject {
  data: Buffer;
  etag: string;
  lastModified: Date;
}

const MAX_OBJECT_BYTES = 110 * 1024 * 1024;
const xmlEscape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class ObjectStoreStandIn {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private server?: Server;
  /** Requests by operation, for tests. */
  readonly calls: string[] = [];

  constructor(buckets: string[]) {
    for (const bucket of buckets) this.buckets.set(bucket, new Map());
  }

  /** The stored (sealed) bytes of an object, for tests that tamper with them. */
  object(bucket: string, key: string): Buffer | undefined {
    return this.buckets.get(bucket)?.get(key)?.data;
  }

  replace(bucket: string, key: string, data: Buffer): void {
    this.buckets.get(bucket)?.set(key, stored(data));
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer(SERVER_OPTIONS, (req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const s3 = error instanceof S3Error ? error : new S3Error(500, 'InternalError', 'stand-in error');
        answer(res, s3.status, errorXml(s3.code, s3.message));
      });
    });
    server.on('clientError', answerClientError);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://object-store');
    } catch {
      throw new S3Error(400, 'InvalidURI', 'malformed request target');
    }
    if (!/^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? ''))
      throw new S3Error(403, 'AccessDenied', 'requests must be signed (AWS Signature Version 4)');
    const [bucketName, ...keyParts] = url.pathname.slice(1).split('/');
    let key: string;
    try {
      key = keyParts.map(decodeURIComponent).join('/');
    } catch {
      throw new S3Error(400, 'InvalidURI', 'malformed escape in the object key');
    }
    const bucket = this.buckets.get(decodeURIComponent(bucketName ?? ''));
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'the specified bucket does not exist');
    const method = req.method ?? '';
    this.calls.push(`${method} ${key ? 'object' : 'bucket'}`);

    if (!key) {
      if (method !== 'GET' || url.searchParams.get('list-type') !== '2')
        throw new S3Error(405, 'MethodNotAllowed', 'only ListObjectsV2 is served on a bucket');
      return answer(res, 200, listXml(bucketName!, bucket, url.searchParams));
    }
    if (method === 'PUT') {
      const object = stored(await body(req));
      bucket.set(key, object);
      res.writeHead(200, { ETag: object.etag }).end();
      return;
    }
    if (method === 'DELETE') {
      bucket.delete(key);
      res.writeHead(204).end();
      return;
    }
    const object = bucket.get(key);
    if (method !== 'GET' && method !== 'HEAD')
      throw new S3Error(405, 'MethodNotAllowed', `${method} is not served on an object`);
    if (!object) throw new S3Error(404, 'NoSuchKey', 'the specified key does not exist');
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': object.data.length,
      ETag: object.etag,
      'Last-Modified': object.lastModified.toUTCString(),
    });
    res.end(method === 'GET' ? object.data : undefined);
  }
}

function stored(data: Buffer): StoredObject {
  return { data, etag: `"${createHash('md5').update(data).digest('hex')}"`, lastModified: new Date() };
}

const body = (req: IncomingMessage): Promise<Buffer> =>
  readRequestBody(req, MAX_OBJECT_BYTES, () => new S3Error(400, 'EntityTooLarge', 'the object is too large'));

function listXml(bucketName: string, bucket: Map<string, StoredObject>, params: URLSearchParams): string {
  const prefix = params.get('prefix') ?? '';
  const max = Math.min(Math.max(Number(params.get('max-keys') ?? 1000) || 1000, 1), 1000);
  const after = params.get('continuation-token')
    ? Buffer.from(params.get('continuation-token')!, 'base64url').toString('utf8')
    : (params.get('start-after') ?? '');
  const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
  const page = keys.slice(0, max);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const object = bucket.get(key)!;
      return (
        `<Contents><Key>${xmlEscape(key)}</Key><LastModified>${object.lastModified.toISOString()}</LastModified>` +
        `<ETag>${xmlEscape(object.etag)}</ETag><Size>${object.data.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
      );
    })
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    `<Name>${xmlEscape(bucketName)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount>` +
    `<MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}` +
    (truncated
      ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>`
      : '') +
    `</ListBucketResult>`
  );
}

const errorXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>`;

function answer(res: ServerResponse, status: number, xml: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/xml' }).end(xml);
}
