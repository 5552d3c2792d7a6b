#!/bin/sh
# Installs the Debian packages the test suite needs (idempotent): chromium for the web page and report tests (driven by
# Playwright, which must never download a browser of its own), and libturbojpeg0, the system libjpeg-turbo that
# TwinHead.Imaging decodes JPEGs with when present (its tests compare it with Skia pixel for pixel).
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
dpkg -s libturbojpeg0 >/dev/null 2>&1 || missing="$missing libturbojpeg0"
if [ -z "$missing" ]; then
    echo "test packages already installed: $(/usr/bin/chromium --version 2>/dev/null | tail -n 1), libturbojpeg0"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
/usr/bin/chromium --version 2>/dev/null | tail -n 1
