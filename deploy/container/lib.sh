# shellcheck shell=bash
# Shared functions of deploy/container/{base,up,down,test}. Sourced, never run; the caller has set -euo pipefail.
# Podman (Debian 4.3) with runc stands in for a Docker engine (PLATFORM.md, "Containers"): its settings
# are in a file of ours named by CONTAINERS_CONF, so nothing of the machine's configuration changes.
# shellcheck source=deploy/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"

# Everything the container scripts keep: the base image's cache, the stack's secrets and settings.
CONTAINER_CACHE=${MOTCUA_CONTAINER_CACHE:-/var/lib/motcua/container-cache}
CONTAINER_LOCAL="$MOTCUA_LOCAL/container"
# The Debian release and mirror the base image is made from.
BASE_SUITE=bookworm
BASE_MIRROR=${MOTCUA_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Writes our podman settings and exports CONTAINERS_CONF: no default ulimits (runc's setrlimit fails
# on them here), cgroupfs (no systemd), runc (crun refuses the hybrid cgroup layout of these machines).
podman_settings() {
    mkdir -p "$CONTAINER_LOCAL"
    cat >"$CONTAINER_LOCAL/containers.conf" <<'CONF'
# Written by deploy/container/lib.sh; see shared/design/PLATFORM.md, "Containers".
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF
    export CONTAINERS_CONF="$CONTAINER_LOCAL/containers.conf"
}

# Prints why podman cannot run containers here, or nothing when it can (asks podman with our settings).
podman_unusable_reason() {
    command -v podman >/dev/null 2>&1 || { echo "podman is not installed"; return; }
    is_root || { echo "not root (the container tests run podman as root)"; return; }
    [[ -d /sys/fs/cgroup ]] || { echo "no cgroup file system"; return; }
    local out
    podman_settings
    if ! out=$(podman info --format '{{.Host.OCIRuntime.Name}}' 2>&1); then
        echo "podman info failed: $(tail -n 1 <<<"$out")"
    fi
}

# The tag of the base image: a hash of what makes it (this script's recipe, suite, mirror).
base_image_tag() {
    short_hash "$BASE_SUITE $BASE_MIRROR $(sed -n '/^# base-recipe-start/,/^# base-recipe-end/p' "${BASH_SOURCE[0]}")"
}

# base-recipe-start
# Makes motcua/base:<tag>, a minimal Debian 12 (debootstrap --variant=minbase), unless podman has it;
# the root file system's tarball is cached in $CONTAINER_CACHE so a new machine state re-imports it in
# seconds instead of bootstrapping again (about a minute).
base_image_ensure() {
    local tag image tarball root
    tag=$(base_image_tag)
    image="localhost/motcua/base:$tag"
    BASE_IMAGE=$image
    podman image exists "$image" && return 0
    tarball="$CONTAINER_CACHE/base-$BASE_SUITE-$tag.tar"
    if [[ ! -s $tarball ]]; then
        mkdir -p "$CONTAINER_CACHE"
        root=$(mktemp -d -p "$CONTAINER_CACHE" rootfs.XXXXXX)
        log "making the base image: debootstrap --variant=minbase $BASE_SUITE (cached in $tarball)"
        if ! debootstrap --variant=minbase "$BASE_SUITE" "$root" "$BASE_MIRROR" >"$CONTAINER_CACHE/debootstrap.log" 2>&1; then
            tail -n 20 "$CONTAINER_CACHE/debootstrap.log" >&2
            rm -rf "$root"
            die "debootstrap failed"
        fi
        # The security updates too, as the public debian image has them.
        printf 'deb %s %s main\ndeb %s %s-updates main\ndeb http://deb.debian.org/debian-security %s-security main\n' \
            "$BASE_MIRROR" "$BASE_SUITE" "$BASE_MIRROR" "$BASE_SUITE" "$BASE_SUITE" >"$root/etc/apt/sources.list"
        # As the public slim image: no documentation, manual pages or translations, now or from the
        # packages the Dockerfile installs.
        printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
            'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
            >"$root/etc/dpkg/dpkg.cfg.d/motcua-slim"
        find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
        rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
        rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
        tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
        rm -rf "$root"
        # Bases of older recipes are not made again: their cache goes.
        find "$CONTAINER_CACHE" -maxdepth 1 -name 'base-*.tar' ! -name "${tarball##*/}" -delete
    fi
    podman import -q "$tarball" "$image" >/dev/null
    log "base image $image ready"
}
# base-recipe-end

# The compose project: its name (MOTCUA_COMPOSE_PROJECT, default motcua), its secrets folder and the
# front door's port (MOTCUA_HTTP_PORT, default 8080).
COMPOSE_PROJECT=${MOTCUA_COMPOSE_PROJECT:-motcua}
export MOTCUA_SECRETS=${MOTCUA_SECRETS:-$CONTAINER_LOCAL/secrets}
export MOTCUA_HTTP_PORT=${MOTCUA_HTTP_PORT:-8080}
export MOTCUA_IMAGE=localhost/motcua:local
export MOTCUA_FRONTDOOR_IMAGE=localhost/motcua-frontdoor:local
export MOTCUA_POSTGRES_IMAGE=localhost/motcua/postgres:15

# podman-compose on the repository's docker-compose.yml, as project $COMPOSE_PROJECT.
compose() { (cd "$MOTCUA_REPO" && podman-compose -p "$COMPOSE_PROJECT" -f docker-compose.yml "$@"); }

# Release binaries with the Swift runtime linked in, stripped, in .local/container/bin (the image's
# HOST_BIN_DIR). MOTCUA_BIN_DIR: take them from there instead of building.
host_binaries_build() {
    local bin svc
    if [[ -n ${MOTCUA_BIN_DIR:-} ]]; then
        bin=$MOTCUA_BIN_DIR
    else
        log "building (swift build -c release --static-swift-stdlib)"
        (cd "$MOTCUA_REPO" && swift build -c release --static-swift-stdlib) >&2
        bin=$(cd "$MOTCUA_REPO" && swift build -c release --static-swift-stdlib --show-bin-path)
    fi
    rm -rf "$CONTAINER_LOCAL/bin"
    mkdir -p "$CONTAINER_LOCAL/bin"
    for svc in "${SERVICES[@]}"; do
        install -m 755 -s "$bin/motcua-$svc" "$CONTAINER_LOCAL/bin/"
    done
}

# Builds the three images from the local base: motcua (services and one-shot), motcua-frontdoor and
# the PostgreSQL stand-in. podman's layer cache makes a rebuild with the same inputs take seconds.
images_build() {
    local common=(--format docker --network host --layers --build-arg "RUNTIME_IMAGE=$BASE_IMAGE")
    (
        cd "$MOTCUA_REPO"
        podman build -q "${common[@]}" --build-arg BINARIES=host --build-arg HOST_BIN_DIR=.local/container/bin \
            -f deploy/Dockerfile -t "$MOTCUA_IMAGE" .
        podman build -q "${common[@]}" --target frontdoor -f deploy/Dockerfile -t "$MOTCUA_FRONTDOOR_IMAGE" .
        podman build -q "${common[@]}" -f deploy/container/postgres.Dockerfile -t "$MOTCUA_POSTGRES_IMAGE" .
    ) >/dev/null
    log "images built: $MOTCUA_IMAGE ($(image_size "$MOTCUA_IMAGE")), $MOTCUA_FRONTDOOR_IMAGE, $MOTCUA_POSTGRES_IMAGE"
}

# An image's size as podman reports it (e.g. 120 MB).
image_size() { podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%d MB", $1 / 1000000 }'; }

# Makes the stack's secrets once in $MOTCUA_SECRETS: the superuser's and each role's password and the
# staff-token key pair; files of uid 10001 (the images' user), mode 400.
secrets_ensure() {
    local name
    mkdir -p "$MOTCUA_SECRETS"
    chmod 700 "$MOTCUA_SECRETS"
    for name in postgres-password "${SERVICES[@]/#/db-password-}"; do
        [[ -s $MOTCUA_SECRETS/$name ]] || od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$MOTCUA_SECRETS/$name"
    done
    if [[ ! -s $MOTCUA_SECRETS/token-signing.pub ]]; then
        "$CONTAINER_LOCAL/bin/motcua-intake" keys generate --out "$MOTCUA_SECRETS" >/dev/null
    fi
    chmod 400 "$MOTCUA_SECRETS"/*
    chown 10001:10001 "$MOTCUA_SECRETS"/*
    chmod 711 "$MOTCUA_SECRETS"
}

# Waits until every service answers 200 on /<service>/readyz through the front door at $1.
wait_ready() {
    local front=$1 deadline=$((SECONDS + ${MOTCUA_READY_TIMEOUT:-120})) svc code
    for svc in "${SERVICES[@]}"; do
        while true; do
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$front/$svc/readyz" || true)
            [[ $code == 200 ]] && break
            ((SECONDS < deadline)) || { log "$front/$svc/readyz answered ${code:-nothing}"; return 1; }
            sleep 0.5
        done
    done
}
