#!/usr/bin/env bash
# Provides headless Chromium and its chromedriver for the dashboard's browser tests (DashboardTest).
# Prints the directory that holds both as its last line; progress goes to stderr.
#
#   1. /usr/bin/chromium and /usr/bin/chromedriver are there              -> use them
#   2. as root with apt-get: Debian's chromium and chromium-driver packages are installed
#      (after an apt-get update when the package lists lack them)
#   3. otherwise exit 3 with the reason; the test command then skips the browser tests, saying why
set -euo pipefail

log() { echo "[chromium] $*" >&2; }
present() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

if present; then
  log "using $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
  echo /usr/bin
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  log "cannot install Chromium here: it needs root and apt-get (apt-get install chromium chromium-driver)"
  echo "no Chromium: install Debian's chromium and chromium-driver (as root: apt-get install chromium chromium-driver)"
  exit 3
fi
if ! apt-cache show chromium-driver >/dev/null 2>&1; then
  log "apt-get update"
  apt-get update -qq >&2
fi
log "apt-get install chromium chromium-driver (about a minute, once)"
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2 || ! present; then
  echo "no Chromium: apt-get install chromium chromium-driver failed"
  exit 3
fi
echo /usr/bin
