#!/bin/sh
# Installs what the browser and validator tests need: Debian's Chromium,
# and the npm packages in tests/tools/package.json. Safe to run again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "tests/tools/install.sh: Chromium is missing; install Debian's chromium package" >&2
    fi
fi
if [ -f "$here/package.json" ] && command -v npm >/dev/null 2>&1; then
    if [ ! -d "$here/node_modules" ] || [ "$here/package.json" -nt "$here/node_modules" ]; then
        (cd "$here" && npm install --no-audit --no-fund --no-package-lock --loglevel=error && touch node_modules)
    fi
fi
