# shellcheck shell=bash
# The throwaway PostgreSQL 15 cluster of the benchmarks (deploy/bench/queue, deploy/bench/intake):
# its own temp folder, a free port, 127.0.0.1 only, trust auth, default durability (fsync and
# synchronous_commit on), max_connections=200, shared_buffers=256MB; removed at exit, pass or fail.
# Sourced after deploy/local/lib.sh, never run. bench_cluster_start LABEL sets BENCH_WORK (a
# scratch folder removed with the cluster) and exports PGHOST/PGPORT/PGUSER/PGDATABASE.

bench_cluster_start() {
    local label=$1 attempt port
    bench_pg_root=$(mktemp -d -p /tmp "motcua-bench-$label.XXXXXX")
    is_root && chown postgres:postgres "$bench_pg_root"
    chmod 755 "$bench_pg_root"
    bench_pg_data=$bench_pg_root/data
    BENCH_WORK=$(mktemp -d -p /tmp "motcua-bench-$label-work.XXXXXX")
    trap bench_cluster_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    as_pg "$PG_BIN/initdb" -D "$bench_pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$BENCH_WORK/initdb.log" 2>&1 || {
        cat "$BENCH_WORK/initdb.log" >&2
        die "initdb failed"
    }
    as_pg tee -a "$bench_pg_data/postgresql.conf" >/dev/null <<CONF

# deploy/bench: a throwaway cluster with default durability (fsync, synchronous_commit on).
listen_addresses = '127.0.0.1'
unix_socket_directories = '$bench_pg_root'
max_connections = 200
shared_buffers = 256MB
CONF
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        printf 'port = %s\n' "$port" | as_pg tee -a "$bench_pg_data/postgresql.conf" >/dev/null
        if as_pg "$PG_BIN/pg_ctl" -D "$bench_pg_data" -l "$bench_pg_root/postgres.log" -w -t 60 start >/dev/null 2>&1; then
            break
        fi
        if ((attempt == 5)) || ! grep -q 'could not bind\|could not create any TCP/IP sockets' "$bench_pg_root/postgres.log"; then
            tail -n 30 "$bench_pg_root/postgres.log" >&2 || true
            die "the benchmark PostgreSQL did not start"
        fi
    done
    log "benchmark PostgreSQL on 127.0.0.1:$port (data $bench_pg_data, removed afterwards)"
    unset DATABASE_URL PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGOPTIONS PGHOSTADDR PGSSLMODE PGTARGETSESSIONATTRS
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
}

# Stops the cluster (killing the postmaster if pg_ctl cannot) and removes its folders; the EXIT trap.
# A benchmark with more to clean registers bench_cleanup_hook, run first.
# shellcheck disable=SC2317  # run by the EXIT trap
bench_cluster_cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    if declare -F bench_cleanup_hook >/dev/null; then bench_cleanup_hook || true; fi
    if [[ -f $bench_pg_data/postmaster.pid ]]; then
        if ! as_pg "$PG_BIN/pg_ctl" -D "$bench_pg_data" -m immediate -w -t 20 stop >/dev/null 2>&1; then
            pid=$(head -n 1 "$bench_pg_data/postmaster.pid" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$bench_pg_data"; then
                kill -KILL "$pid" 2>/dev/null || true
                sleep 0.5
            fi
        fi
    fi
    rm -rf "$bench_pg_root" "$BENCH_WORK"
    exit "$rc"
}
