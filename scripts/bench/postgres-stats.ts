/**
 * PostgreSQL's own statistics (pg_stat_database, pg_stat_user_tables, pg_stat_wal,
 * pg_stat_bgwriter, database sizes), read before and after a bench phase: the database work of
 * that phase, for docs/capacity.md. Counters are cumulative; a phase's work is the difference.
 */
import type { LocalPostgres } from '../../src/tooling/postgres';

const DATABASES = ['temporal', 'temporal_visibility'] as const;

export interface DatabaseCounters {
  commits: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
  /** Rows handed to queries (index and sequential scans). */
  rowsReturned: number;
  /** Rows fetched by index scans. */
  rowsFetched: number;
  blocksRead: number;
  blocksHit: number;
  sizeBytes: number;
}

export interface PostgresSnapshot {
  databases: Record<(typeof DATABASES)[number], DatabaseCounters>;
  /** Per table of the history database: rows written (inserted + updated + deleted). */
  tableWrites: Record<string, number>;
  wal: { records: number; bytes: number; writes: number; syncs: number };
  /** Data pages written to disk by the checkpointer, background writer and backends. */
  buffersWritten: number;
  at: number;
}

const numbers = (row: string[]) => row.map(Number);

export function postgresSnapshot(postgres: LocalPostgres): PostgresSnapshot {
  const databases = Object.fromEntries(
    DATABASES.map((name) => {
      const [row] = postgres.query(
        'postgres',
        `select xact_commit, tup_inserted, tup_updated, tup_deleted, tup_returned, tup_fetched,
                blks_read, blks_hit, pg_database_size(datname)
           from pg_stat_database where datname = '${name}'`,
      );
      const [commits, ins, upd, del, returned, fetched, read, hit, size] = numbers(row);
      return [
        name,
        {
          commits,
          rowsInserted: ins,
          rowsUpdated: upd,
          rowsDeleted: del,
          rowsReturned: returned,
          rowsFetched: fetched,
          blocksRead: read,
          blocksHit: hit,
          sizeBytes: size,
        },
      ];
    }),
  ) as PostgresSnapshot['databases'];
  const tableWrites = Object.fromEntries(
    postgres
      .query('temporal', 'select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_user_tables')
      .map(([table, writes]) => [table, Number(writes)]),
  );
  const [wal] = postgres.query(
    'postgres',
    'select wal_records, wal_bytes, wal_write, wal_sync from pg_stat_wal',
  );
  const [records, bytes, writes, syncs] = numbers(wal);
  const [[buffersWritten]] = postgres
    .query('postgres', 'select buffers_checkpoint + buffers_clean + buffers_backend from pg_stat_bgwriter')
    .map(numbers);
  return { databases, tableWrites, wal: { records, bytes, writes, syncs }, buffersWritten, at: Date.now() };
}

export interface PostgresWork {
  seconds: number;
  perDatabase: Record<string, Omit<DatabaseCounters, 'sizeBytes'> & { sizeGrowthBytes: number }>;
  /** The history database's tables with the most rows written, most first. */
  busiestTables: { table: string; rowsWritten: number }[];
  wal: PostgresSnapshot['wal'];
  buffersWritten: number;
}

export function postgresWork(before: PostgresSnapshot, after: PostgresSnapshot): PostgresWork {
  const perDatabase = Object.fromEntries(
    DATABASES.map((name) => {
      const [b, a] = [before.databases[name], after.databases[name]];
      return [
        name,
        {
          commits: a.commits - b.commits,
          rowsInserted: a.rowsInserted - b.rowsInserted,
          rowsUpdated: a.rowsUpdated - b.rowsUpdated,
          rowsDeleted: a.rowsDeleted - b.rowsDeleted,
          rowsReturned: a.rowsReturned - b.rowsReturned,
          rowsFetched: a.rowsFetched - b.rowsFetched,
          blocksRead: a.blocksRead - b.blocksRead,
          blocksHit: a.blocksHit - b.blocksHit,
          sizeGrowthBytes: a.sizeBytes - b.sizeBytes,
        },
      ];
    }),
  );
  const busiestTables = Object.entries(after.tableWrites)
    .map(([table, writes]) => ({ table, rowsWritten: writes - (before.tableWrites[table] ?? 0) }))
    .filter(({ rowsWritten }) => rowsWritten > 0)
    .sort((x, y) => y.rowsWritten - x.rowsWritten)
    .slice(0, 8);
  return {
    seconds: (after.at - before.at) / 1000,
    perDatabase,
    busiestTables,
    wal: {
      records: after.wal.records - before.wal.records,
      bytes: after.wal.bytes - before.wal.bytes,
      writes: after.wal.writes - before.wal.writes,
      syncs: after.wal.syncs - before.wal.syncs,
    },
    buffersWritten: after.buffersWritten - before.buffersWritten,
  };
}
