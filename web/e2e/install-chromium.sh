#!/bin/sh
# Installs Debian's Chromium for the browser tests. Does nothing when it is already there.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
