# shellcheck shell=bash
# Shared functions of deploy/local/{up,down,test}. Sourced, never run; the caller has set -euo pipefail.
#
# Where things live (all under the git-ignored <repo>/.local/):
#   .local/env          port and paths of the local cluster (source it to use psql as superuser)
#   .local/secrets.env  each service role's password, generated once, mode 600
#   .local/pg/          the PostgreSQL 15 cluster: data/ (PGDATA), sock/ (socket dir), postgres.log;
#                       a real folder, or a symlink to /var/lib/motcua/<hash> (see pg_root_prepare)
#   .local/run/         <svc>.pid and <svc>.exit of the services started by up, <svc>.supervisor
#                       (its supervisor's pid) and <svc>.stop (told to stop: not restarted)
#   .local/log/         <svc>.log (JSON lines on stderr of serve), <svc>.migrate.log, rotated by size
#                       (<svc>.log.1 …) while the services run
#   .local/nginx/       the front door's configuration, pid, access.log (JSON lines) and error.log

MOTCUA_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
MOTCUA_LOCAL="$MOTCUA_REPO/.local"
PG_BIN=/usr/lib/postgresql/15/bin
PG_SUPERUSER=postgres
# Swift is preinstalled at /opt/swift; a shell that did not put it on PATH still finds it.
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    PATH="/opt/swift/usr/bin:$PATH"
fi
SERVICES=(intake digitization payment communication reporting)
declare -A SERVICE_DEFAULT_PORT=([intake]=8081 [digitization]=8082 [payment]=8083 [communication]=8084 [reporting]=8085)

# Debian packages the scripts, the build and the tests need. Swift itself is preinstalled (/opt/swift).
# chromium, chromium-driver and fonts-noto-core: the browser tests (Tests/BrowserTests), with every
# Vietnamese diacritic drawn by the same font on every machine.
# nginx: the front door (deploy/nginx), in front of the five services.
# libqrencode-dev: the QR code of intake's printed receipt (Shared/CQREncode); zbar-tools: zbarimg,
# which the browser tests read it with.
# podman, runc, catatonit (the pause process of kube play's pods), the CNI dnsname plugin (service
# names in compose networks), podman-compose, debootstrap (the local base image), yamllint, jq and
# binutils (strip): the container tests (deploy/container).
REQUIRED_PACKAGES=(postgresql-15 postgresql-client-15 libpq-dev libmicrohttpd-dev libsodium-dev pkg-config curl
    util-linux coreutils procps chromium chromium-driver fonts-noto-core nginx libqrencode-dev zbar-tools
    podman runc catatonit golang-github-containernetworking-plugin-dnsname podman-compose debootstrap yamllint jq
    binutils)

# Appended to every cluster's postgresql.conf (up's and test's): nothing personal in postgres.log.
# A unique or check violation's DETAIL repeats the row's values (`Key (cccd)=(…)`, `Failing row
# contains (…)`) and a JSON error's CONTEXT the document, so errors are logged terse (message and
# statement only; statements hold $n parameters, never values), and bound values are never logged.
PG_PRIVACY_SETTINGS="log_error_verbosity = terse
log_parameter_max_length = 0
log_parameter_max_length_on_error = 0"

log() { printf 'motcua: %s\n' "$*" >&2; }
die() {
    printf 'motcua: error: %s\n' "$*" >&2
    exit 1
}

is_root() { [[ $EUID -eq 0 ]]; }

# Runs a command as root: directly when root, through sudo otherwise.
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root for: $* (run as root, or install sudo)"
    fi
}

# The OS user that runs initdb, pg_ctl and postgres: postgres when we are root (the server refuses
# to run as root), otherwise the current user.
pg_os_user() { if is_root; then echo postgres; else id -un; fi; }

# Runs a command as pg_os_user, from / so that a cwd it cannot read does not matter.
as_pg() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Installs the missing packages only: re-runs need no network and take milliseconds.
ensure_packages() {
    local missing=() p
    for p in "${REQUIRED_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing missing Debian packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    [[ -x $PG_BIN/postgres ]] || die "$PG_BIN/postgres missing after installing postgresql-15"
    is_root && ! getent passwd postgres >/dev/null && die "the postgres OS user is missing (postgresql-common)"
    return 0
}

# True when something listens on TCP port $1 (IPv4 or IPv6, any address). Reads /proc: no tools needed.
port_listening() {
    local hex
    hex=$(printf ':%04X' "$1")
    awk -v p="$hex" 'FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# Prints a TCP port nobody listens on, starting from a random one in 20000–59999. The caller still
# handles the race of someone taking it first (pg_ctl start fails; try again).
free_port() {
    local port i
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    for ((i = 0; i < 1000; i++)); do
        if ! port_listening "$port"; then
            echo "$port"
            return 0
        fi
        port=$((port >= 59999 ? 20000 : port + 1))
    done
    die "no free TCP port found"
}

# The first 12 hex digits of the sha256 of a string.
short_hash() { printf '%s' "$1" | sha256sum | cut -c1-12; }

# True when the server's OS user can reach directory $1 (search permission on it and every parent).
pg_can_traverse() { as_pg test -x "$1" 2>/dev/null; }

# Keeps a unix socket path under the kernel's 108-byte limit: prints $1 when "$1/.s.PGSQL.65535" fits,
# else a short folder under /tmp named after the repo.
socket_dir_for() {
    local wanted=$1
    if ((${#wanted} + 16 < 100)); then
        echo "$wanted"
    else
        echo "/tmp/motcua-$(short_hash "$MOTCUA_REPO")-sock"
    fi
}

# Starts a PostgreSQL 15 cluster that was initialised in $1 and configured by its postgresql.conf.
# $2: server log file. Fails with the log's tail when the server does not come up.
pg_start() {
    local pgdata=$1 logfile=$2
    if ! as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$logfile" -w -t 60 start >/dev/null; then
        log "PostgreSQL did not start; last lines of $logfile:"
        tail -n 30 "$logfile" >&2 || true
        return 1
    fi
}

# True when a postmaster runs on data directory $1.
pg_running() { [[ -d $1 ]] && as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# Prints the port of the running postmaster of data directory $1 (line 4 of postmaster.pid).
pg_running_port() { as_pg sed -n 4p "$1/postmaster.pid"; }

# ---------------------------------------------------------------------------------------------------
# The local cluster of deploy/local/up and down.

PG_ROOT="$MOTCUA_LOCAL/pg"
RUN_DIR="$MOTCUA_LOCAL/run"
LOG_DIR="$MOTCUA_LOCAL/log"
ENV_FILE="$MOTCUA_LOCAL/env"
SECRETS_FILE="$MOTCUA_LOCAL/secrets.env"

# Paths handed to the server are resolved: through a symlink under /root the postgres user could not
# follow them. Sets PG_ROOT_REAL, PGDATA_LOCAL (the cluster's data) and PG_LOG (its log).
local_pg_paths() {
    PG_ROOT_REAL=$(readlink -f "$PG_ROOT" 2>/dev/null || echo "$PG_ROOT")
    PGDATA_LOCAL="$PG_ROOT_REAL/data"
    PG_LOG="$PG_ROOT_REAL/postgres.log"
}
local_pg_paths

# Makes .local/ and .local/pg/ ready for the server's OS user.
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres OS user, and that
# user must be able to reach its data and socket folders through every parent of the repository.
# Under /work or /tmp it can (o+x); under /root (mode 700) it cannot, and we do not loosen the
# permissions of someone's home. So: .local/ stays owned by the caller (mode 755: it holds the logs
# and, mode 600, the secrets); .local/pg is a real folder owned by postgres, mode 700, when postgres
# can reach .local/; otherwise the cluster lives in /var/lib/motcua/<hash of the repo path> (owned by
# postgres, mode 700) and .local/pg is a symlink to it, so every path the scripts print still points
# into .local/. A non-root caller runs the server as itself and needs neither.
pg_root_prepare() {
    mkdir -p "$MOTCUA_LOCAL" "$RUN_DIR" "$LOG_DIR"
    chmod 755 "$MOTCUA_LOCAL"
    if [[ ! -e $PG_ROOT && ! -L $PG_ROOT ]]; then
        if ! is_root; then
            mkdir -m 700 "$PG_ROOT"
        elif pg_can_traverse "$MOTCUA_LOCAL"; then
            mkdir -m 700 "$PG_ROOT"
            chown postgres:postgres "$PG_ROOT"
        else
            local target
            target="/var/lib/motcua/$(short_hash "$MOTCUA_REPO")"
            log "postgres cannot reach $MOTCUA_LOCAL (a parent folder is not o+x); cluster in $target"
            mkdir -p /var/lib/motcua
            chmod 755 /var/lib/motcua
            mkdir -p "$target"
            chmod 700 "$target"
            chown postgres:postgres "$target"
            printf '%s\n' "$MOTCUA_REPO" >"/var/lib/motcua/$(short_hash "$MOTCUA_REPO").repo"
            ln -s "$target" "$PG_ROOT"
        fi
    fi
    [[ -d $PG_ROOT ]] || die "$PG_ROOT is a dangling link; remove it (rm $PG_ROOT) and run again"
    local_pg_paths
    pg_can_traverse "$PG_ROOT_REAL" ||
        die "the $(pg_os_user) OS user cannot reach $PG_ROOT_REAL; check its parents' permissions"
}

# The socket folder of the local cluster.
local_socket_dir() { socket_dir_for "$PG_ROOT_REAL/sock"; }

# Reads one KEY=value from a file written by these scripts.
read_kv() { if [[ -f $1 ]]; then sed -n "s/^$2=//p" "$1" | tail -n 1; fi; }

# psql as the cluster's superuser over the unix socket (trust; the socket is mode 700).
psql_local_admin() {
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" "$@"
}

# Creates the cluster if missing, starts it if not running. Sets PG_PORT and PG_SOCKET_DIR and
# writes them to .local/env.
local_cluster_up() {
    pg_root_prepare
    PG_SOCKET_DIR=$(local_socket_dir)
    as_pg mkdir -p -m 700 "$PG_SOCKET_DIR"

    if [[ ! -f $PGDATA_LOCAL/PG_VERSION ]]; then
        log "creating PostgreSQL 15 cluster in $PGDATA_LOCAL"
        as_pg rm -rf "$PGDATA_LOCAL"
        as_pg "$PG_BIN/initdb" -D "$PGDATA_LOCAL" -U "$PG_SUPERUSER" -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$LOG_DIR/initdb.log" 2>&1 ||
            {
                cat "$LOG_DIR/initdb.log" >&2
                die "initdb failed"
            }
        # Our settings live in motcua.conf, rewritten at each start (port may change).
        printf "\ninclude_if_exists = 'motcua.conf'\n" | as_pg tee -a "$PGDATA_LOCAL/postgresql.conf" >/dev/null
    fi

    if pg_running "$PGDATA_LOCAL"; then
        PG_PORT=$(pg_running_port "$PGDATA_LOCAL")
        if [[ -n ${MOTCUA_PG_PORT:-} && $MOTCUA_PG_PORT != "$PG_PORT" ]]; then
            log "the cluster already runs on port $PG_PORT; MOTCUA_PG_PORT=$MOTCUA_PG_PORT applies after deploy/local/down"
        fi
    else
        local wanted
        wanted=${MOTCUA_PG_PORT:-$(read_kv "$ENV_FILE" MOTCUA_PG_PORT)}
        wanted=${wanted:-5432}
        PG_PORT=$wanted
        if port_listening "$PG_PORT"; then
            PG_PORT=$(free_port)
            log "port $wanted is taken by another server; using $PG_PORT (remembered in .local/env)"
        fi
        as_pg tee "$PGDATA_LOCAL/motcua.conf" >/dev/null <<EOF
# Written by deploy/local/up at each start; edits are lost.
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_SOCKET_DIR'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
timezone = 'Asia/Ho_Chi_Minh'
log_timezone = 'Asia/Ho_Chi_Minh'
$PG_PRIVACY_SETTINGS
EOF
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        pg_start "$PGDATA_LOCAL" "$PG_LOG" || die "PostgreSQL failed to start (data: $PGDATA_LOCAL)"
    fi

    cat >"$ENV_FILE" <<EOF
# Written by deploy/local/up. \`set -a; . .local/env; set +a\` then psql reaches the local cluster
# as its superuser over the unix socket.
MOTCUA_PG_PORT=$PG_PORT
MOTCUA_PG_SOCKET_DIR=$PG_SOCKET_DIR
MOTCUA_PGDATA=$PGDATA_LOCAL
PGHOST=$PG_SOCKET_DIR
PGPORT=$PG_PORT
PGUSER=$PG_SUPERUSER
PGDATABASE=motcua
EOF
}

# Creates database motcua if missing and runs bootstrap.sql in it (one transaction).
local_database_bootstrap() {
    if [[ -z $(psql_local_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'motcua'") ]]; then
        log "creating database motcua"
        createdb -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" motcua
    fi
    psql_local_admin -d motcua --single-transaction -f "$MOTCUA_REPO/deploy/sql/bootstrap.sql" >/dev/null
}

# Generates each service role's password once (.local/secrets.env) and sets it on the role.
local_role_passwords() {
    local svc var pw sql="SET LOCAL log_statement = 'none';"
    (
        umask 077
        touch "$SECRETS_FILE"
    )
    chmod 600 "$SECRETS_FILE"
    for svc in "${SERVICES[@]}"; do
        var="MOTCUA_PG_PASSWORD_${svc^^}"
        pw=$(read_kv "$SECRETS_FILE" "$var")
        if [[ -z $pw ]]; then
            pw=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
            printf '%s=%s\n' "$var" "$pw" >>"$SECRETS_FILE"
        fi
        [[ $pw =~ ^[0-9a-f]+$ ]] || die "$SECRETS_FILE: $var is not hex; delete the line to regenerate it"
        sql+=" ALTER ROLE $svc PASSWORD '$pw';"
    done
    # Through stdin, so the passwords never show in ps.
    printf '%s\n' "$sql" | psql_local_admin -d motcua --single-transaction >/dev/null
}

# The connection URL of a service against the local cluster.
service_database_url() {
    local pw
    pw=$(read_kv "$SECRETS_FILE" "MOTCUA_PG_PASSWORD_${1^^}")
    printf 'postgresql://%s:%s@127.0.0.1:%s/motcua' "$1" "$pw" "$PG_PORT"
}

# The HTTP port of a service: MOTCUA_<SVC>_PORT overrides the default.
service_port() {
    local var="MOTCUA_${1^^}_PORT"
    echo "${!var:-${SERVICE_DEFAULT_PORT[$1]}}"
}

# Prints the pid of a service started by up if it still runs, else fails.
service_pid() {
    local f="$RUN_DIR/$1.pid" pid arg ours=false
    [[ -f $f ]] || return 1
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
    # The pid is ours only if that process is still motcua-<svc> (pids get reused). Its first argument,
    # or its second when it is a script run by an interpreter.
    while IFS= read -r -d '' arg; do
        [[ ${arg##*/} == "motcua-$1" ]] && ours=true
    done < <(head -z -n 2 "/proc/$pid/cmdline" 2>/dev/null)
    $ours || return 1
    [[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) != Z ]] || return 1
    echo "$pid"
}

# ---------------------------------------------------------------------------------------------------
# The services' OS users and their supervisor.

# As root, no service runs as root: intake as motcua-intake, the only user that can read the token-
# signing private key, the other four as motcua, both in group motcua, no home, no shell. A caller
# that is not root runs them as itself.
SERVICE_GROUP=motcua
declare -A SERVICE_OS_USER=([intake]=motcua-intake)
service_os_user() { echo "${SERVICE_OS_USER[$1]:-motcua}"; }

# Creates the group and the users (system accounts) when missing.
service_users_ensure() {
    is_root || return 0
    local user
    getent group "$SERVICE_GROUP" >/dev/null || groupadd --system "$SERVICE_GROUP"
    for user in motcua motcua-intake; do
        getent passwd "$user" >/dev/null ||
            useradd --system --gid "$SERVICE_GROUP" --no-create-home --home-dir /nonexistent \
                --shell /usr/sbin/nologin "$user"
    done
}

# The staff-token key pair in folder $1: the public key readable by all, the private key (mode 600)
# owned by intake's user, so root and intake alone read it.
token_keys_protect() {
    chmod 755 "$1"
    chmod 644 "$1/token-signing.pub"
    chmod 600 "$1/token-signing.key"
    if is_root; then chown "$(service_os_user intake):root" "$1/token-signing.key"; fi
}

# The supervisor of service $1 (binary $2), run by up in its own session: starts `serve` as the
# service's user (setpriv execs it, so <svc>.pid holds the service's own pid), writes each exit
# status to <svc>.exit, and starts a service that failed again after a back-off of 1 s doubling up
# to 60 s (back to 1 s after a minute of running), as systemd's Restart=on-failure or a container's
# restart policy would. It ends when the service exits 0 (asked to stop) or <svc>.stop exists.
# MOTCUA_RESTART_FIRST_DELAY (seconds, default 1) sets the first back-off.
supervise() {
    local svc=$1 bin=$2 first=${MOTCUA_RESTART_FIRST_DELAY:-1} started rc i as=()
    local delay=$first
    local pid_file="$RUN_DIR/$svc.pid" exit_file="$RUN_DIR/$svc.exit" stop_file="$RUN_DIR/$svc.stop"
    is_root && as=(setpriv --reuid="$(service_os_user "$svc")" --regid="$SERVICE_GROUP" --clear-groups --)
    echo "$BASHPID" >"$RUN_DIR/$svc.supervisor"
    while true; do
        started=$SECONDS
        (echo "$BASHPID" >"$pid_file.tmp" && mv "$pid_file.tmp" "$pid_file" && exec "${as[@]}" "$bin" serve)
        rc=$?
        echo "$rc" >"$exit_file"
        [[ $rc == 0 || -e $stop_file ]] && return 0
        ((SECONDS - started >= 60)) && delay=$first
        printf '{"ts":"%s","level":"error","service":"%s","msg":"motcua-%s exited with status %s; restarting in %s s","source":"deploy/local/up"}\n' \
            "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$svc" "$svc" "$rc" "$delay" >&2
        for ((i = 0; i < delay * 4; i++)); do
            [[ -e $stop_file ]] && return 0
            sleep 0.25
        done
        delay=$((delay * 2 > 60 ? 60 : delay * 2))
    done
}

# Prints the pid of service $1's supervisor if it still runs, else fails.
supervisor_pid() {
    local f="$RUN_DIR/$1.supervisor" pid
    [[ -f $f ]] || return 1
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "motcua-supervise-$1" || return 1
    echo "$pid"
}

# SIGTERM to every running service at once, up to 10 s for them to exit, then SIGKILL for the
# rest. Reports each exit. Each supervisor is told first (<svc>.stop) and waited for, so none starts
# its service again.
stop_services() {
    local svc pid i rc running=() left
    declare -A pids=()
    for svc in "${SERVICES[@]}"; do
        [[ -d $RUN_DIR ]] && touch "$RUN_DIR/$svc.stop"
    done
    for svc in "${SERVICES[@]}"; do
        if pid=$(service_pid "$svc"); then
            pids[$svc]=$pid
            running+=("$svc")
            kill -TERM "$pid" 2>/dev/null || true
        else
            rm -f "$RUN_DIR/$svc.pid"
        fi
    done
    if ((${#running[@]} == 0)); then
        supervisors_wait
        return 0
    fi
    for ((i = 0; i < 100; i++)); do
        left=0
        for svc in "${running[@]}"; do
            service_pid "$svc" >/dev/null && left=$((left + 1))
        done
        ((left == 0)) && break
        sleep 0.1
    done
    for svc in "${running[@]}"; do
        pid=${pids[$svc]}
        if service_pid "$svc" >/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            log "motcua-$svc (pid $pid) did not exit within 10 s of SIGTERM: killed"
        else
            # The launcher writes the exit status once the process is gone.
            for ((i = 0; i < 20; i++)); do
                [[ -s $RUN_DIR/$svc.exit ]] && break
                sleep 0.05
            done
            rc=$(cat "$RUN_DIR/$svc.exit" 2>/dev/null || echo '?')
            if [[ $rc == 0 ]]; then
                log "motcua-$svc (pid $pid) stopped, exit status 0"
            else
                log "motcua-$svc (pid $pid) stopped, exit status $rc (expected 0); see $LOG_DIR/$svc.log"
            fi
        fi
        rm -f "$RUN_DIR/$svc.pid"
    done
    supervisors_wait
}

# Waits (up to 2 s each) until no supervisor runs, after stop_services told them to end.
supervisors_wait() {
    local svc i
    for svc in "${SERVICES[@]}"; do
        for ((i = 0; i < 20; i++)); do
            supervisor_pid "$svc" >/dev/null || break
            sleep 0.1
        done
        rm -f "$RUN_DIR/$svc.supervisor"
    done
}

# ---------------------------------------------------------------------------------------------------
# The front door (deploy/nginx) and log rotation of the local cluster.

NGINX_DIR="$MOTCUA_LOCAL/nginx"
ROTATE_PID="$RUN_DIR/log-rotation.pid"

# The front door's port: MOTCUA_HTTP_PORT, default 8080.
ingress_port() { echo "${MOTCUA_HTTP_PORT:-8080}"; }

# Writes the front door's configuration for the services' ports and starts nginx on $1 (address).
ingress_start() {
    local bind=$1 svc pairs=()
    for svc in "${SERVICES[@]}"; do pairs+=("$svc=$(service_port "$svc")"); done
    "$MOTCUA_REPO/deploy/nginx/configure" "$NGINX_DIR" "$bind:$(ingress_port)" 127.0.0.1 "${pairs[@]}"
    nginx -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" ||
        die "nginx did not start; see $NGINX_DIR/error.log"
}

# Stops the front door started by ingress_start, if it runs (SIGQUIT: finish requests, then exit).
ingress_stop() {
    local pid i
    [[ -f $NGINX_DIR/nginx.pid ]] || return 0
    pid=$(<"$NGINX_DIR/nginx.pid")
    if [[ $pid =~ ^[0-9]+$ ]] && grep -q nginx "/proc/$pid/comm" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do
            [[ -d /proc/$pid ]] || break
            sleep 0.1
        done
        log "front door (nginx, pid $pid) stopped"
    fi
    rm -f "$NGINX_DIR/nginx.pid"
}

# Rotates each log of .local/log and the front door's access log once it passes
# MOTCUA_LOG_MAX_BYTES (default 50 MB): copied to <log>.1 (older ones shifted, MOTCUA_LOG_KEEP kept,
# default 3), then truncated in place; writers append (O_APPEND), so they go on at the new end.
rotate_logs_once() {
    local max=${MOTCUA_LOG_MAX_BYTES:-50000000} keep=${MOTCUA_LOG_KEEP:-3} f i
    for f in "$LOG_DIR"/*.log "$NGINX_DIR/access.log"; do
        [[ -f $f ]] || continue
        (($(stat -c %s "$f") > max)) || continue
        for ((i = keep - 1; i >= 1; i--)); do
            [[ -f $f.$i ]] && mv -f "$f.$i" "$f.$((i + 1))"
        done
        cp "$f" "$f.1" && : >"$f"
    done
}

# Starts the rotation loop (every 10 s) in its own session; its pid in .local/run/log-rotation.pid.
log_rotation_start() {
    log_rotation_stop
    setsid nohup bash -c 'source "$1"; echo $$ >"$ROTATE_PID"; while sleep 10; do rotate_logs_once; done' \
        motcua-log-rotation "$MOTCUA_REPO/deploy/local/lib.sh" >/dev/null 2>&1 </dev/null &
}

log_rotation_stop() {
    local pid
    [[ -f $ROTATE_PID ]] || return 0
    pid=$(<"$ROTATE_PID")
    if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q motcua-log-rotation; then
        kill "$pid" 2>/dev/null || true
    fi
    rm -f "$ROTATE_PID"
}
