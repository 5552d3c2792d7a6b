#!/bin/sh
# Installs the Debian packages the test suite needs (idempotent): chromium for the web page test in
# tests/TwinHead.Server.Tests (driven by Playwright, which must never download a browser of its own).
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
/usr/bin/chromium --version 2>/dev/null | tail -n 1
