# Sourced by the scripts that build Pulumi's tools from the Go wrapper modules in tools/ into the cache
# (ensure-language-hosts.sh, gen-sdk.sh). The caller sets `tool` (the name its messages start with) first.
# Each wrapper module's go.mod/go.sum pin a release; only the Go module proxy is needed.

PTT_CACHE="${PTT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-tfe-team-token}"
export PTT_CACHE PULUMI_SKIP_UPDATE_CHECK=true
ptt_repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Beside the `pulumi` that scripts/ensure-pulumi.sh builds: the engine looks there for language hosts first.
ptt_bin_dir="$PTT_CACHE/pulumi/bin"

log() { echo "$tool: $*" >&2; }
die() { echo "$tool: error: $*" >&2; exit 1; }

# The version of a Go module that a wrapper module pins, read from its go.mod, so that file is the only place to bump
# it. Args: wrapper module dir, module path.
ptt_pinned() {
  awk -v m="$2" '$1 == m && $2 ~ /^v[0-9]/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1/go.mod"
}

# A program of the user's own: on PATH, and not one of our cached builds.
ptt_own() {
  local found
  found=$(command -v "$1" 2>/dev/null) || return 1
  [ "$(readlink -f "$found")" != "$(readlink -f "$ptt_bin_dir/$1" 2>/dev/null || echo "$ptt_bin_dir/$1")" ] || return 1
  echo "$found"
}

# Holds an exclusive lock on a file until the calling script exits, so two callers do not build the same thing at
# once; the second waits and then finds the first one's result. Arg: lock file.
ptt_lock() {
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$(dirname "$1")"
  exec 8>"$1"
  if ! flock -n 8; then
    log "another build is running; waiting for it"
    flock 8
  fi
}

# Builds a package of a wrapper module into a file, printing a line every minute so that CI logs show it is alive.
# The output appears only when the build succeeded. Args: wrapper module dir, package, output file, -X assignments
# for -ldflags (may be empty).
ptt_go_build() {
  local dir=$1 pkg=$2 out=$3 xflags=$4 start=$SECONDS pid rc=0 tmp
  command -v go >/dev/null 2>&1 || die "Go is needed to build $(basename "$out") (need Go >= $(awk '$1 == "go" { print $2 }' "$dir/go.mod"))"
  mkdir -p "$(dirname "$out")"
  tmp=$(mktemp "$out.build.XXXXXX")
  log "building $(basename "$out") from $pkg with $(go version | awk '{print $3}')"
  # go.sum is committed, so -mod=readonly. CGO off, as in Pulumi's own release builds: a static binary, and no C
  # compiler needed.
  (cd "$dir" && GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0 \
    exec go build -trimpath -ldflags "-s -w $xflags" -o "$tmp" "$pkg") >"$tmp.log" 2>&1 &
  pid=$!
  # On exit (also when interrupted) stop the build and drop the partial output.
  trap 'kill '"$pid"' 2>/dev/null; rm -f "'"$tmp"'" "'"$tmp"'.log"' EXIT
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && log "  still building $(basename "$out") ($((SECONDS - start)) s)"
  done
  wait "$pid" || rc=$?
  trap - EXIT
  if [ "$rc" != 0 ]; then
    tail -n 60 "$tmp.log" >&2
    rm -f "$tmp" "$tmp.log"
    die "building $(basename "$out") failed after $((SECONDS - start)) s (output above)"
  fi
  rm -f "$tmp.log"
  mv -f "$tmp" "$out"
  log "built $(basename "$out") in $((SECONDS - start)) s ($(du -h "$out" | cut -f1))"
}
