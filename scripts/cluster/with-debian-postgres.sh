#!/usr/bin/env bash
# Runs `npm run test:cluster` (the cluster suite, not the restore drill, which needs the embedded server's
# own binaries) with DATABASE_URL pointing at Debian's PostgreSQL server of the given major version
# (default 15, the oldest this platform supports): installs postgresql-<major> when missing (as root),
# starts a throw-away instance as user postgres in a temporary folder on a free port, and removes it after.
# Usage: scripts/cluster/with-debian-postgres.sh [major] [jest args…]
set -euo pipefail
cd "$(dirname "$0")/../.."
MAJOR="${1:-15}"; shift || true
BIN="/usr/lib/postgresql/${MAJOR}/bin"
if [ ! -x "$BIN/postgres" ]; then
  if [ "$(id -u)" != 0 ]; then echo "postgresql-${MAJOR} is not installed (apt-get install -y postgresql-${MAJOR} as root)" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y "postgresql-${MAJOR}" >/dev/null || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "postgresql-${MAJOR}" >/dev/null; }
fi
AS=()
if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
DIR="$(mktemp -d /tmp/vbp-pg${MAJOR}-XXXXXX)"
chmod 755 "$DIR"
[ "$(id -u)" = 0 ] && chown postgres: "$DIR"
PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
PASSWORD="$(node -e "console.log(require('crypto').randomBytes(12).toString('hex'))")"
cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
echo "$PASSWORD" > "$DIR/pw"; [ "$(id -u)" = 0 ] && chown postgres: "$DIR/pw"
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=scram-sha-256 --pwfile="$DIR/pw" --encoding=UTF8 --locale=C >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o "-p $PORT -c listen_addresses=127.0.0.1 -c max_connections=200 -c unix_socket_directories=$DIR" start >/dev/null
URL="postgres://postgres:${PASSWORD}@127.0.0.1:${PORT}"
node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.query('CREATE DATABASE vbp')).then(()=>c.query('SHOW server_version')).then(r=>{console.log('PostgreSQL',r.rows[0].server_version,'on port',process.argv[2]);return c.end()})" "$URL/postgres" "$PORT"
DATABASE_URL="$URL/vbp" CLUSTER_DIR="$DIR/cluster" npx jest --ci --config jest.cluster.config.js test/cluster/cluster.cluster-spec.ts "$@"
