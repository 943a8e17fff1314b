/**
 * A namespace ready for the enrollment service on a self-hosted Temporal server: registered if
 * missing, the service's search attributes added (the list in src/workflows/definitions.ts), and
 * both in effect — a new namespace or attribute reaches the frontend's caches a little later than
 * the database, so this waits until a visibility query naming every attribute is accepted.
 */
import { Client, isGrpcServiceError, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { setTimeout as delay } from 'node:timers/promises';
import { registerSearchAttributes } from '../client/search-attributes';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/definitions';

/** Closed enrollments stay readable (history, status) this long after they end. */
export const RETENTION_DAYS = 30;

const GRPC_NOT_FOUND = 5;
const isNotFound = (error: unknown) => isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND;

export async function setupNamespace(
  connection: Connection,
  namespace: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const service = connection.workflowService;
  try {
    await service.describeNamespace({ namespace });
    log(`namespace ${namespace} exists`);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await service.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(`${RETENTION_DAYS} days`),
    });
    log(`namespace ${namespace} registered (retention ${RETENTION_DAYS} days)`);
  }
  const client = new Client({ connection, namespace });
  const query = ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name} IS NULL`).join(' AND ');
  await untilAccepted(namespace, async () => {
    await registerSearchAttributes(connection, namespace);
    await client.workflow.count(query);
  });
  log(`search attributes: ${ALL_SEARCH_ATTRIBUTES.map((key) => `${key.name} (${key.type})`).join(', ')}`);
}

/** The frontend learns of a new namespace within seconds: until then it answers "not found". */
async function untilAccepted(namespace: string, attempt: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`namespace ${namespace} not usable after 60 s: ${(error as Error).message}`);
      await delay(500);
    }
  }
}
