#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store's tests, from Debian's `postgresql` package.
#   eval "$(scripts/postgres-cluster.sh start DIR)"   # exports ACCORD_TEST_POSTGRES
#   scripts/postgres-cluster.sh stop DIR
# initdb refuses root, so the cluster runs as the `postgres` user when started as root.
set -euo pipefail
cmd="${1:?start|stop}"
dir="${2:?folder for the cluster}"

bindir() {
  local b
  b="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$b" ]; then
    echo "installing postgresql (apt-get)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    b="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  echo "$b"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    bin="$(bindir)"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
    then
      cat "$dir/initdb.log" >&2
      echo "initdb failed (the postgres user must be able to reach $dir)" >&2
      exit 1
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" \
      start >&2
    echo "export ACCORD_TEST_POSTGRES=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin="$(bindir)"
    [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
