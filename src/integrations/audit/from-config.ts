/** The audit log the configuration names: JSON-lines files under CSP_AUDIT_DIR (default data/audit). */
import path from 'node:path';
import { dataPath, type Config } from '../../config';
import type { AuditLog } from './audit-log';
import { FileAuditLog } from './file-audit-log';

export const auditDir = (config: Config): string =>
  config.CSP_AUDIT_DIR ? path.resolve(config.CSP_AUDIT_DIR) : dataPath(config, 'audit');

export function auditLogFrom(config: Config): AuditLog {
  return new FileAuditLog(auditDir(config));
}
