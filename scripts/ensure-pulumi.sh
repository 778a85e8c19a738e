#!/usr/bin/env bash
# Makes the Pulumi CLI and the Node.js language host available for the demo, the engine tests, the benchmarks and
# CI. Idempotent; safe to run often. Each of the two programs comes from, in order:
#
#   1. the user's own install: `pulumi` and `pulumi-language-nodejs` on PATH (or the host next to that `pulumi`);
#   2. a build cached in $PTT_CACHE/pulumi/bin, if it is the wanted version;
#   3. a build from source with Go, into $PTT_CACHE/pulumi/bin:
#      - the CLI from the wrapper module tools/pulumi-cli (about 6 minutes cold on 2 cores);
#      - the language host from tools/pulumi-language-nodejs (about 30 s). It lives in sdk/v3 only up to v3.68.0,
#        so it is older than the CLI; the two speak a stable protocol, and the SDK that runs the program is the
#        project's own @pulumi/pulumi.
#      Their go.mod/go.sum pin the releases; only the Go module proxy is needed, not Pulumi's download host.
#
# The dynamic-provider shim scripts/pulumi-resource-pulumi-nodejs is copied into the same bin dir, where the engine
# looks for the bundled "pulumi-nodejs" plugin (next to the `pulumi` binary, or on PATH). A copy, not a link: the
# bin dir serves every project on the machine and outlives the checkout that filled it.
# scripts/with-pulumi.sh runs this and then a command with that bin dir on PATH (after the user's own).
#
# Environment: PTT_CACHE (default ~/.cache/pulumi-tfe-team-token), PTT_PULUMI_REBUILD=1 to rebuild both.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PTT_CACHE="${PTT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-tfe-team-token}"
cli_module="$repo_root/tools/pulumi-cli"
host_module="$repo_root/tools/pulumi-language-nodejs"
bin_dir="$PTT_CACHE/pulumi/bin"
shim="$repo_root/scripts/pulumi-resource-pulumi-nodejs"
export PULUMI_SKIP_UPDATE_CHECK=true

log() { echo "ensure-pulumi: $*"; }
die() { echo "ensure-pulumi: error: $*" >&2; exit 1; }

# A module's pinned version of a Go module, read from its go.mod, so that file is the only place to bump it.
pinned() {
  grep -Eo "$2 v3\.[^[:space:]]+" "$1/go.mod" | head -n 1 | cut -d' ' -f2
}
want_cli=$(pinned "$cli_module" 'github\.com/pulumi/pulumi/pkg/v3')
want_host=$(pinned "$host_module" 'github\.com/pulumi/pulumi/sdk/v3')
[ -n "$want_cli" ] && [ -n "$want_host" ] || die "cannot read the pinned versions from tools/*/go.mod"

cli_version() { "$1" version 2>/dev/null | tr -d '[:space:]'; }
# The host has no version flag; the build writes the version it was built from beside it.
host_version() { cat "$1.version" 2>/dev/null; }

# A program of the user's own: on PATH, and not our cached build.
own() {
  local found
  found=$(command -v "$1" 2>/dev/null) || return 1
  [ "$(readlink -f "$found")" != "$(readlink -f "$bin_dir/$1" 2>/dev/null || echo "$bin_dir/$1")" ] || return 1
  echo "$found"
}

need_cli=1
need_host=1
if [ "${PTT_PULUMI_REBUILD:-}" != 1 ]; then
  if cli=$(own pulumi); then
    need_cli=0
    v=$(cli_version "$cli" || true)
    log "using pulumi from PATH: $cli (${v:-version unknown})"
    [ "$v" = "$want_cli" ] || log "note: this project is tested with pulumi $want_cli"
    # A regular install ships the host beside the CLI.
    if host=$(own pulumi-language-nodejs) || [ -x "$(dirname "$(readlink -f "$cli")")/pulumi-language-nodejs" ]; then
      need_host=0
      log "using the Node.js language host of that install${host:+: $host}"
    fi
  elif [ -x "$bin_dir/pulumi" ] && [ "$(cli_version "$bin_dir/pulumi" || true)" = "$want_cli" ]; then
    need_cli=0
  fi
  if [ "$need_host" = 1 ] && [ -x "$bin_dir/pulumi-language-nodejs" ] && [ "$(host_version "$bin_dir/pulumi-language-nodejs")" = "$want_host" ]; then
    need_host=0
  fi
fi

install_shim() {
  local tmp
  mkdir -p "$bin_dir"
  # Written beside it and renamed into place, so an engine starting it meanwhile runs the old or the new one whole;
  # the rename also replaces the link to a checkout that earlier versions of this script left there.
  tmp=$(mktemp "$bin_dir/.pulumi-resource-pulumi-nodejs.XXXXXX")
  cp "$shim" "$tmp"
  chmod 755 "$tmp"
  mv -f "$tmp" "$bin_dir/pulumi-resource-pulumi-nodejs"
}

if [ "$need_cli" = 0 ] && [ "$need_host" = 0 ]; then
  install_shim
  log "pulumi and pulumi-language-nodejs ready"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "pulumi (or its Node.js language host) is not on PATH and Go is not installed to build it (need Go >= 1.26); install Pulumi and put it on PATH instead"
mkdir -p "$bin_dir"

# One build at a time; a second caller waits, then runs this script again and finds the result.
if command -v flock >/dev/null 2>&1 && [ -z "${PTT_PULUMI_LOCKED:-}" ]; then
  exec 9>"$PTT_CACHE/pulumi/.build.lock"
  if ! flock -n 9; then
    log "another build is running; waiting for it"
    flock 9
  fi
  PTT_PULUMI_LOCKED=1 exec bash "${BASH_SOURCE[0]}"
fi

# go.sum is committed, so -mod=readonly. CGO off, as in Pulumi's own release builds: a static binary, and no C
# compiler needed.
export GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0
tmp_dir=$(mktemp -d "$PTT_CACHE/pulumi/build.XXXXXX")
build_pid=
# On exit (also when interrupted) stop a build still running and drop the partial output.
trap '[ -n "$build_pid" ] && kill "$build_pid" 2>/dev/null; rm -rf "$tmp_dir"' EXIT
build_start=$SECONDS

# Builds a package in the background, printing a line every minute so that CI logs show it is alive, and moves the
# result into the bin dir. Args: name, module dir, package, version.
go_build() {
  local name=$1 dir=$2 pkg=$3 version=$4 start=$SECONDS pid rc=0
  local ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
  log "building $name $version from source with $(go version | awk '{print $3}') into $bin_dir"
  (cd "$dir" && exec go build -trimpath -ldflags "$ldflags" -o "$tmp_dir/$name" "$pkg") >"$tmp_dir/$name.log" 2>&1 &
  pid=$!
  build_pid=$pid
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && log "  still building $name ($((SECONDS - start)) s)"
  done
  wait "$pid" || rc=$?
  build_pid=
  if [ "$rc" != 0 ]; then
    tail -n 60 "$tmp_dir/$name.log" >&2
    die "building $name failed after $((SECONDS - start)) s (output above); install Pulumi yourself and put it on PATH instead"
  fi
  mv -f "$tmp_dir/$name" "$bin_dir/$name"
  log "built $name in $((SECONDS - start)) s ($(du -h "$bin_dir/$name" | cut -f1))"
}

if [ "$need_cli" = 1 ]; then
  log "(the CLI, cold: about 6 minutes on 2 cores, plus module downloads; Go's caches make later builds quick)"
  go_build pulumi "$cli_module" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$want_cli"
  got=$(cli_version "$bin_dir/pulumi" || true)
  [ "$got" = "$want_cli" ] || die "the built CLI reports version '$got', expected $want_cli"
fi
if [ "$need_host" = 1 ]; then
  go_build pulumi-language-nodejs "$host_module" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$want_host"
  echo "$want_host" >"$bin_dir/pulumi-language-nodejs.version"
fi

install_shim
log "ready in $bin_dir (total $((SECONDS - build_start)) s)"
