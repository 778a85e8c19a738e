#!/usr/bin/env bash
# Makes what YAML, Python, Go and Java programs need to run through the Pulumi CLI available, for the engine tests,
# the SDK generation (scripts/gen-sdk.sh) and users. Idempotent; safe to run often, and quick once everything is
# there. Each language host comes from, in order:
#
#   1. the user's own install: `pulumi-language-<language>` on PATH, or beside the user's own `pulumi` (a regular
#      install ships them there);
#   2. a build cached in $PTT_CACHE/pulumi/bin, beside the `pulumi` that scripts/ensure-pulumi.sh builds, if it is
#      the wanted version: the engine finds hosts there without a PATH warning, even with
#      PULUMI_IGNORE_AMBIENT_PLUGINS set;
#   3. a build from source with Go, into that folder:
#      - the YAML host from the wrapper module tools/pulumi-language-yaml (module pulumi-yaml);
#      - the Python host from tools/pulumi-language-python. It lives in sdk/v3 only up to v3.79.0, so it is older
#        than the CLI; it runs the program with the `python3` first on PATH and ignores runtime.options.virtualenv,
#        so put a virtualenv's bin folder on PATH (scripts/python-env.sh). The script pulumi-language-python-exec
#        from the same module is copied beside it: the host starts the program through it;
#      - the Go host from tools/pulumi-language-go. It lives in sdk/v3 only up to v3.66.0, so it too is older than
#        the CLI: it runs programs (`pulumi up`), but cannot generate an SDK (scripts/gen-sdk.sh does that itself);
#      - the Java host from tools/pulumi-language-java (module pulumi-java/pkg), which also generates the Java SDK.
#        The CLI looks beside itself only for the hosts it bundles, and Java is not one: it finds this one on PATH
#        (with a warning that names it) or as a plugin installed with `pulumi plugin install language java`.
#
# Then it readies the rest of the Python path, which needs the network once and not again: the virtualenv of
# scripts/python-env.sh (a warning only when it cannot be made) and the SDK generator of scripts/gen-sdk.sh.
#
# `ensure-language-hosts.sh --pinned <language>...` readies only those hosts, and only the cached builds (step 2 or 3),
# whatever the user has installed: scripts/gen-sdk.sh generates the Java SDK with the pinned Java host.
#
# Environment: PTT_CACHE (default ~/.cache/pulumi-tfe-team-token), PTT_PULUMI_REBUILD=1 to rebuild the hosts.
set -euo pipefail

tool=ensure-language-hosts
. "$(dirname "${BASH_SOURCE[0]}")/go-tools.sh"

# Per host: its wrapper module, the module that holds it, its package there, the variable its version is linked into,
# and files of that module that go beside it. (A function, not associative arrays: macOS still ships bash 3.2.)
host_names="yaml python go java"
pinned=
if [ "${1:-}" = --pinned ]; then
  shift
  pinned=1 host_names="$*"
fi
describe() {
  case $1 in
    yaml)
      module=tools/pulumi-language-yaml source_module=github.com/pulumi/pulumi-yaml
      package=cmd/pulumi-language-yaml version_var=pkg/version.Version extra_files= ;;
    python)
      module=tools/pulumi-language-python source_module=github.com/pulumi/pulumi/sdk/v3
      package=python/cmd/pulumi-language-python version_var=go/common/version.Version
      extra_files=python/cmd/pulumi-language-python-exec ;;
    go)
      module=tools/pulumi-language-go source_module=github.com/pulumi/pulumi/sdk/v3
      package=go/pulumi-language-go version_var=go/common/version.Version extra_files= ;;
    java)
      module=tools/pulumi-language-java source_module=github.com/pulumi/pulumi-java/pkg
      package=cmd/pulumi-language-java version_var=version.Version extra_files= ;;
  esac
}

want() { describe "$1" && ptt_pinned "$ptt_repo_root/$module" "$source_module"; }

# Prints where the host is when there is nothing to do for it; fails otherwise.
ready() {
  local name=pulumi-language-$1 found cli extra
  [ "${PTT_PULUMI_REBUILD:-}" != 1 ] || return 1
  if [ -z "$pinned" ]; then
    if found=$(ptt_own "$name"); then
      echo "the user's own $found"
      return 0
    fi
    if cli=$(ptt_own pulumi) && [ -x "$(dirname "$(readlink -f "$cli")")/$name" ]; then
      echo "the user's own $(dirname "$(readlink -f "$cli")")/$name, beside their pulumi"
      return 0
    fi
  fi
  [ -x "$ptt_bin_dir/$name" ] || return 1
  # The hosts have no version flag; the build writes the version it was built from beside each.
  [ "$(cat "$ptt_bin_dir/$name.version" 2>/dev/null)" = "$(want "$1")" ] || return 1
  describe "$1"
  for extra in $extra_files; do
    [ -x "$ptt_bin_dir/$(basename "$extra")" ] || return 1
  done
  echo "$ptt_bin_dir/$name $(want "$1") (cached build)"
}

build() {
  local name=pulumi-language-$1 version src extra
  version=$(want "$1")
  describe "$1"
  [ -n "$version" ] || die "cannot read the pinned version of $source_module from $module/go.mod"
  ptt_go_build "$ptt_repo_root/$module" "$source_module/$package" "$ptt_bin_dir/$name" "-X $source_module/$version_var=$version"
  if [ -n "$extra_files" ]; then
    src=$(cd "$ptt_repo_root/$module" && GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' "$source_module")
    for extra in $extra_files; do
      # The module cache is read-only; the copy must be executable.
      install -m 0755 "$src/$extra" "$ptt_bin_dir/$(basename "$extra")"
    done
  fi
  echo "$version" >"$ptt_bin_dir/$name.version"
}

start=$SECONDS
missing=
for host in $host_names; do
  if where=$(ready "$host"); then
    log "pulumi-language-$host: using $where"
  else
    missing="$missing $host"
  fi
done
if [ -n "$missing" ]; then
  ptt_lock "$PTT_CACHE/pulumi/.language-hosts.lock"
  for host in $missing; do
    # Another caller may have built it while this one waited for the lock.
    if where=$(ready "$host"); then
      log "pulumi-language-$host: using $where"
    else
      build "$host"
    fi
  done
fi
[ -z "$pinned" ] || exit 0

# Not fatal: scripts/with-pulumi.sh runs this for TypeScript programs too, and a missing Python must not stop them.
# Python programs fail instead, and python-env.sh says why when they ask it for the virtualenv.
if ! command -v python3 >/dev/null 2>&1; then
  log "warning: no python3 on PATH, so no virtualenv for Python programs"
elif ! bash "$ptt_repo_root/scripts/python-env.sh" >/dev/null; then
  log "warning: the virtualenv for Python programs could not be made (above); Python programs cannot run"
fi
bash "$ptt_repo_root/scripts/gen-sdk.sh" --prepare
log "ready ($((SECONDS - start)) s)"
