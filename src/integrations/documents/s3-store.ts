/**
 * Documents in an S3-compatible bucket (AWS S3, MinIO, Ceph…), for deployments with more than one
 * API process. Credentials and region come from the AWS SDK's usual settings (environment,
 * profiles, instance roles); `endpoint` points at a non-AWS store (path-style addressing).
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { DocumentStore } from './store';

/** The AWS SDK is loaded at the first request: every worker and API process builds a store, few use S3. */
type S3Sdk = typeof import('@aws-sdk/client-s3');

export interface S3StoreOptions {
  bucket: string;
  /** Keys live under this prefix in the bucket (e.g. `csp-documents/`). */
  prefix?: string;
  endpoint?: string;
  region?: string;
  /** Milliseconds a request may take. */
  timeoutMs?: number;
  credentials?: S3ClientConfig['credentials'];
}

export class S3DocumentStore implements DocumentStore {
  private readonly prefix: string;
  private connected?: Promise<{ sdk: S3Sdk; client: S3Client }>;

  constructor(private readonly options: S3StoreOptions) {
    this.prefix = options.prefix ?? '';
  }

  private connect(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    this.connected ??= import('@aws-sdk/client-s3').then((sdk) => ({ sdk, client: this.newClient(sdk) }));
    return this.connected;
  }

  private newClient({ S3Client }: S3Sdk): S3Client {
    const { options } = this;
    return new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where S3 requires them: S3-compatible stores differ in the rest.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { requestTimeout: options.timeoutMs ?? 10_000 },
      maxAttempts: 3,
    });
  }

  async put(key: string, data: Buffer): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.options.bucket,
        Key: this.prefix + key,
        Body: data,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    const { sdk, client } = await this.connect();
    try {
      const answer = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key }),
      );
      return Buffer.from(await answer.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof sdk.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
        return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const { sdk, client } = await this.connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.prefix + key }));
  }

  async *list(prefix: string): AsyncIterable<string> {
    const { sdk, client } = await this.connect();
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.options.bucket,
          Prefix: this.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const item of page.Contents ?? []) if (item.Key) yield item.Key.slice(this.prefix.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  close(): void {
    // A store never used has no client to close.
    void this.connected?.then(({ client }) => client.destroy());
  }
}
