#!/bin/sh
# Installs what the browser, validator and server tests need: Debian's Chromium, nginx,
# the DejaVu fonts and the npm packages in tests/tools/package.json. Safe to run again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
# tests/test_nginx.py serves a build with a real nginx (run as the test's user; installed, not started).
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
# The share images are drawn with DejaVu (Latin, Cyrillic, Arabic, ...).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "tests/tools/install.sh: missing Debian packages:$missing" >&2
    fi
fi
if [ -f "$here/package.json" ] && command -v npm >/dev/null 2>&1; then
    if [ ! -d "$here/node_modules" ] || [ "$here/package.json" -nt "$here/node_modules" ]; then
        (cd "$here" && npm install --no-audit --no-fund --no-package-lock --loglevel=error && touch node_modules)
    fi
fi
