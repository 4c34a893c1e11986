#!/usr/bin/env bash
# A throwaway PostgreSQL for the database conformance scenarios, on a fixed loopback port with
# fixed credentials (the scenarios hardcode its URL): postgres.sh start | stop.
#   postgresql://postgres:conformance-root@127.0.0.1:55432/postgres
# Runs as the unprivileged `postgres` user when started as root. State in $PG_CONFORMANCE_DIR
# (default /tmp/vaultjwt-conformance-pg), removed by stop.
set -euo pipefail
dir=${PG_CONFORMANCE_DIR:-/tmp/vaultjwt-conformance-pg}
port=55432
password=conformance-root
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}
case "${1:-}" in
start)
    [ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL in /usr/lib/postgresql" >&2; exit 1; }
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    printf '%s' "$password" >"$dir/pw"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir/pw"
    as_pg env LC_ALL=C "$bin/initdb" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$dir/pw" -D "$dir/data" >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    echo "postgresql://postgres:$password@127.0.0.1:$port/postgres"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: postgres.sh start|stop" >&2
    exit 2
    ;;
esac
