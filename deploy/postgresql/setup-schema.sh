#!/bin/sh
# Creates Temporal's two PostgreSQL databases, history (temporal) and visibility
# (temporal_visibility), and brings both schemas to this server version's, with temporal-sql-tool.
# Safe to run again at every start: existing databases are kept, only missing versions are applied.
#
# Environment (temporal-sql-tool reads the SQL_* itself):
#   SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD  PostgreSQL, as a user allowed to create databases
#   SCHEMA_DIR         the server's schema/postgresql/v12 (admin-tools image: /etc/temporal/schema/postgresql/v12)
#   TEMPORAL_SQL_TOOL  the tool's path (default: temporal-sql-tool on PATH)
set -eu

: "${SCHEMA_DIR:?set SCHEMA_DIR to the server's schema/postgresql/v12 directory}"
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
export SQL_PLUGIN=postgres12

for pair in temporal:temporal temporal_visibility:visibility; do
  database=${pair%%:*}
  schema="$SCHEMA_DIR/${pair##*:}/versioned"
  [ -d "$schema" ] || { echo "no schema at $schema" >&2; exit 1; }
  "$tool" --db "$database" create-database
  # Records version 0.0 on a new database only; update-schema then applies every version after it.
  "$tool" --db "$database" setup-schema -v 0.0
  "$tool" --db "$database" update-schema -d "$schema"
  echo "schema of $database is up to date ($schema)"
done
