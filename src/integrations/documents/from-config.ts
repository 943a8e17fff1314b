/** The document store and vault the configuration names (API and worker share it). */
import type { KeyRing } from '../../codec/key-ring';
import { dataPath, type Config } from '../../config';
import { FileDocumentStore } from './file-store';
import { S3DocumentStore } from './s3-store';
import type { DocumentStore } from './store';
import { DocumentVault } from './vault';

export function documentStoreFrom(config: Config): DocumentStore {
  if (config.CSP_DOCUMENT_STORE === 's3')
    return new S3DocumentStore({
      bucket: config.CSP_DOCUMENTS_S3_BUCKET!,
      prefix: config.CSP_DOCUMENTS_S3_PREFIX,
      endpoint: config.CSP_DOCUMENTS_S3_ENDPOINT,
      region: config.CSP_DOCUMENTS_S3_REGION,
      timeoutMs: config.CSP_HTTP_TIMEOUT_MS,
    });
  return new FileDocumentStore(config.CSP_DOCUMENTS_DIR ?? dataPath(config, 'documents'));
}

export function documentVaultFrom(config: Config, keyRing: KeyRing): DocumentVault {
  return new DocumentVault(documentStoreFrom(config), keyRing, config.CSP_DOCUMENT_MAX_BYTES);
}
