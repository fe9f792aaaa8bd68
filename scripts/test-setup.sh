#!/usr/bin/env bash
# Installs the system programs the test suite drives (none yet beyond Node), naming them when it cannot.
# Debian packages are installed with apt-get when running as root; otherwise the missing ones are listed.
set -euo pipefail
need=()
for pair in "$@"; do
  bin=${pair%%=*}; pkg=${pair#*=}
  command -v "$bin" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test setup: installing Debian packages: ${need[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "test setup: missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
