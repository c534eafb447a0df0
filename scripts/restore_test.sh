#!/usr/bin/env bash
# Restore test: build a database, back it up with pg_dump -Fc, restore it into a fresh
# database with pg_restore, and check that both hold the same rows and the same reports.
#
#   scripts/restore_test.sh            # from the repository root; needs psql, pg_dump, pg_restore
#   KEEP=1 scripts/restore_test.sh     # keep both databases and the dump afterwards
#
# Connection: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER (postgres), trust auth or
# PGPASSWORD. Databases reports_restore_src and reports_restore_dst are dropped and
# re-created: never point this at a server holding databases of those names you need.
set -euo pipefail

cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGOPTIONS="${PGOPTIONS:---client-min-messages=warning}"
PY="${PY:-.venv/bin/python}"
SRC=reports_restore_src
DST=reports_restore_dst
WORK="$(mktemp -d)"
DUMP="$WORK/reports.dump"
url() { echo "postgres://${PGUSER}@${PGHOST}:${PGPORT}/$1"; }
manage() { local db="$1"; shift; DATABASE_URL="$(url "$db")" "$PY" manage.py "$@"; }

cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    dropdb --if-exists "$SRC"
    dropdb --if-exists "$DST"
    rm -rf "$WORK"
  else
    echo "kept: databases $SRC, $DST; dump $DUMP"
  fi
}
trap cleanup EXIT

# Row count of every table in the public schema, one "table count" line each.
counts() {
  psql -d "$1" -XAtF ' ' -c "
    SELECT table_name,
           (xpath('/row/n/text()',
                  query_to_xml(format('SELECT count(*) AS n FROM %I.%I',
                                      table_schema, table_name), false, true, '')))[1]::text
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}

echo "== 1. source database $SRC: migrate and seed the demo province"
dropdb --if-exists "$SRC"
createdb "$SRC"
manage "$SRC" migrate --noinput >/dev/null
# The login only proves auth_user survives; its password is not printed here.
manage "$SRC" seed_demo --login restore-check 2>/dev/null | grep -v '密码' || true

echo "== 2. backup: pg_dump -Fc"
pg_dump -Fc -d "$SRC" -f "$DUMP"
ls -l "$DUMP" | awk '{print $5 " bytes", $NF}'
pg_restore --list "$DUMP" | grep -c 'TABLE DATA' | xargs echo "tables with data in the dump:"

echo "== 3. restore into a fresh database $DST: pg_restore"
dropdb --if-exists "$DST"
createdb "$DST"
pg_restore --no-owner --exit-on-error -d "$DST" "$DUMP"

echo "== 4. compare"
counts "$SRC" >"$WORK/src.counts"
counts "$DST" >"$WORK/dst.counts"
if ! diff -u "$WORK/src.counts" "$WORK/dst.counts"; then
  echo "FAIL: row counts differ" >&2
  exit 1
fi
echo "row counts equal in all $(wc -l <"$WORK/src.counts") tables; the main ones:"
grep -E '^(agencies_region|agencies_agency|reports_annualreport|reports_table[234]row|auth_user|django_migrations) ' \
  "$WORK/dst.counts" | sed 's/^/  /'
manage "$SRC" export_reports --format json --output "$WORK/src.json"
manage "$DST" export_reports --format json --output "$WORK/dst.json"
if ! cmp -s "$WORK/src.json" "$WORK/dst.json"; then
  echo "FAIL: the restored reports export differently" >&2
  exit 1
fi
echo "export_reports identical: $(sha256sum <"$WORK/dst.json" | cut -c1-16)… ($(wc -c <"$WORK/dst.json") bytes)"
manage "$DST" migrate --check >/dev/null && echo "restored database needs no migration"
manage "$DST" check --database default | tail -1
echo "RESTORE TEST PASSED"
