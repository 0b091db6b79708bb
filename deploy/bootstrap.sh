#!/usr/bin/env bash
# Installs and starts what Truth Engine needs on a fresh Debian 12 machine, then
# syncs the locked Python environment. Idempotent: a machine that already has
# everything only checks it. Needs root (or sudo) for apt and dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[bootstrap] %s\n' "$*"; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v redis-server >/dev/null || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v git >/dev/null || missing+=(git)
command -v patch >/dev/null || missing+=(patch)
# Debian's Chromium drives the dashboard's browser tests (Playwright never downloads one);
# TRUTH_BOOTSTRAP_BROWSER=0 skips it on servers.
if [ "${TRUTH_BOOTSTRAP_BROWSER:-1}" = "1" ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  # tmux holds a real terminal for the test that `truth fix` fits in one screen.
  command -v tmux >/dev/null || missing+=(tmux)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  $SUDO sh -c 'nohup dockerd >/var/log/truth-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not start; see /var/log/truth-dockerd.log"; exit 1; }
fi

# Services for `truth serve` / `truth worker`; the tests start throwaway instances of their own.
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  log "starting redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' >/dev/null
fi
if command -v pg_ctlcluster >/dev/null && ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}')
  if [ -n "$cluster" ]; then
    log "starting PostgreSQL cluster $cluster"
    $SUDO pg_ctlcluster $cluster start || log "PostgreSQL did not start (only needed with TRUTH_DATABASE_URL=postgresql://...)"
  fi
fi

command -v uv >/dev/null || { log "installing uv"; python3 -m pip install -q uv; }
uv sync --frozen --quiet
log "ready"
