#!/usr/bin/env bash
# Makes the Pulumi CLI available for the end-to-end tests, the demo and CI. Idempotent; safe to run often.
#
#   1. A `pulumi` of the user's own on PATH is used as it is: nothing is built.
#   2. Otherwise, if $PTT_CACHE/pulumi/bin/pulumi exists and is the wanted version, nothing is built (fast path).
#   3. Otherwise the CLI is built from source with Go into $PTT_CACHE/pulumi/bin (about 6 minutes cold on 2 cores),
#      from the wrapper module tools/pulumi-cli, whose go.mod/go.sum pin the release. Pulumi's own installer and
#      download host are not needed: only the Go module proxy is.
#
# In cases 2 and 3 the dynamic-provider shim scripts/pulumi-resource-pulumi-nodejs is linked into the same bin dir,
# where the engine looks for the bundled "pulumi-nodejs" plugin (next to the `pulumi` binary, or on PATH).
# `. scripts/env.sh` puts that bin dir on PATH. The Node.js language host (pulumi-language-nodejs) is built too when
# the wrapper module tools/pulumi-language-nodejs exists; it is not needed by the Automation API's inline programs.
#
# Environment: PTT_CACHE (default ~/.cache/pulumi-tfe-team-token), PTT_PULUMI_REBUILD=1 to force a build.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PTT_CACHE="${PTT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-tfe-team-token}"
cli_module="$repo_root/tools/pulumi-cli"
langhost_module="$repo_root/tools/pulumi-language-nodejs"
bin_dir="$PTT_CACHE/pulumi/bin"
shim="$repo_root/scripts/pulumi-resource-pulumi-nodejs"
export PULUMI_SKIP_UPDATE_CHECK=true

log() { echo "ensure-pulumi: $*"; }
die() { echo "ensure-pulumi: error: $*" >&2; exit 1; }

# The wanted version is the one tools/pulumi-cli/go.mod requires, so that file is the only place to bump it.
want_version=$(grep -Eo 'github\.com/pulumi/pulumi/pkg/v3 v3\.[^[:space:]]+' "$cli_module/go.mod" | head -n 1 | cut -d' ' -f2)
[ -n "$want_version" ] || die "cannot read the github.com/pulumi/pulumi/pkg/v3 version from $cli_module/go.mod"

link_shim() {
  chmod +x "$shim" 2>/dev/null || true
  mkdir -p "$bin_dir"
  # A symlink, refreshed on every run, so the shim finds this checkout's node_modules as a fallback even when the
  # cache outlives the checkout (CI clones the repository anew into another folder).
  ln -sfn "$shim" "$bin_dir/pulumi-resource-pulumi-nodejs"
}

cli_version() { PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | tr -d '[:space:]'; }

# 1. The user's own install.
if [ "${PTT_PULUMI_REBUILD:-}" != 1 ] && own=$(command -v pulumi 2>/dev/null) \
  && [ "$(readlink -f "$own")" != "$(readlink -f "$bin_dir/pulumi" 2>/dev/null || echo "$bin_dir/pulumi")" ]; then
  chmod +x "$shim" 2>/dev/null || true
  own_version=$(cli_version "$own" || true)
  log "using pulumi from PATH: $own (${own_version:-version unknown})"
  [ "$own_version" = "$want_version" ] || log "note: this project is tested with pulumi $want_version"
  if ! command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 \
    && [ ! -x "$(dirname "$(readlink -f "$own")")/pulumi-resource-pulumi-nodejs" ]; then
    log "warning: pulumi-resource-pulumi-nodejs (needed for dynamic providers) is neither on PATH nor next to $own;"
    log "         add $repo_root/scripts to PATH"
  fi
  exit 0
fi

# Exits when the cached build is the wanted version (unless a rebuild is forced).
use_cached_build() {
  if [ "${PTT_PULUMI_REBUILD:-}" != 1 ] && [ -x "$bin_dir/pulumi" ] \
    && [ "$(cli_version "$bin_dir/pulumi" || true)" = "$want_version" ]; then
    link_shim
    log "pulumi $want_version ready in $bin_dir"
    exit 0
  fi
}

# 2. Fast path: already built.
use_cached_build

# 3. Build.
command -v go >/dev/null 2>&1 || die "pulumi is not on PATH and Go is not installed to build it (need Go >= 1.26)"
mkdir -p "$bin_dir"

# One build at a time; a second caller waits and then finds the result.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$PTT_CACHE/pulumi/.build.lock"
  if ! flock -n 9; then
    log "another build is running; waiting for it"
    flock 9
  fi
  use_cached_build
fi

# go.sum is committed, so -mod=readonly. CGO off, as in Pulumi's own release builds: a static binary, and no C
# compiler needed.
export GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$want_version"

# Runs a go build in the background, printing a line every minute so that CI logs show it is alive.
# Args: label, module dir, output file, package, log file.
go_build() {
  local label=$1 dir=$2 out=$3 pkg=$4 logfile=$5 start=$SECONDS pid rc
  (cd "$dir" && exec go build -trimpath -ldflags "$ldflags" -o "$out" "$pkg") >"$logfile" 2>&1 &
  pid=$!
  build_pid=$pid
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && log "  still building $label ($((SECONDS - start)) s)"
  done
  rc=0
  wait "$pid" || rc=$?
  build_pid=
  return "$rc"
}

log "building pulumi $want_version from source with $(go version | awk '{print $3}') into $bin_dir"
log "(cold: about 6 minutes on 2 cores, plus module downloads; Go's module and build caches make later builds quick)"
tmp_dir=$(mktemp -d "$PTT_CACHE/pulumi/build.XXXXXX")
build_pid=
# On exit (also when interrupted) stop a build still running and drop the partial output.
trap '[ -n "$build_pid" ] && kill "$build_pid" 2>/dev/null; rm -rf "$tmp_dir"' EXIT
build_start=$SECONDS

if ! go_build pulumi "$cli_module" "$tmp_dir/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$tmp_dir/pulumi.log"; then
  tail -n 60 "$tmp_dir/pulumi.log" >&2
  die "building the Pulumi CLI failed after $((SECONDS - build_start)) s (output above); install pulumi $want_version yourself and put it on PATH instead"
fi
got=$(cli_version "$tmp_dir/pulumi" || true)
[ "$got" = "$want_version" ] || die "the built CLI reports version '$got', expected $want_version"
mv -f "$tmp_dir/pulumi" "$bin_dir/pulumi"
log "built pulumi $got in $((SECONDS - build_start)) s ($(du -h "$bin_dir/pulumi" | cut -f1))"

if [ -f "$langhost_module/go.mod" ]; then
  lh_start=$SECONDS
  if go_build pulumi-language-nodejs "$langhost_module" "$tmp_dir/pulumi-language-nodejs" \
    github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 "$tmp_dir/langhost.log"; then
    mv -f "$tmp_dir/pulumi-language-nodejs" "$bin_dir/pulumi-language-nodejs"
    log "built pulumi-language-nodejs in $((SECONDS - lh_start)) s"
  else
    tail -n 20 "$tmp_dir/langhost.log" >&2
    log "warning: pulumi-language-nodejs did not build; Automation API inline programs work without it"
  fi
fi

link_shim
log "pulumi $want_version ready in $bin_dir (total $((SECONDS - build_start)) s)"
