#!/usr/bin/env bash
# Installs the Debian programs the test suite drives (Prometheus, promtool, Alertmanager, amtool, Chromium), naming them when it cannot.
#
# Contract: exits 0 when every program below is present (installing the missing packages with apt-get when run
# as root), and 1 with the packages and the command to install them otherwise. Tests spawn their own instances
# on loopback ports with their own config and data dirs, so the system services these packages start (on a
# machine with systemd) are never used and never in the way.
set -euo pipefail

# program=Debian package. Tests run the programs from /usr/bin, so that is where they are looked for.
programs=(
  promtool=prometheus
  prometheus=prometheus
  amtool=prometheus-alertmanager
  prometheus-alertmanager=prometheus-alertmanager
  # The dashboard's browser tests drive Debian's Chromium through playwright-core; never a downloaded browser.
  chromium=chromium
)

missing_packages() {
  local pair bin pkg out=()
  for pair in "${programs[@]}"; do
    bin=${pair%%=*}
    pkg=${pair#*=}
    if [ ! -x "/usr/bin/$bin" ] && [[ " ${out[*]} " != *" $pkg "* ]]; then out+=("$pkg"); fi
  done
  echo "${out[*]}"
}

# Runs an apt-get command, retrying while another apt/dpkg (unattended-upgrades on a fresh machine, say) holds
# its lock. DPkg::Lock::Timeout covers the dpkg lock; the lists lock taken by `apt-get update` has no timeout
# option, hence the loop. Other failures are not retried; their output is shown.
apt_get() {
  local log attempt
  log=$(mktemp)
  for attempt in $(seq 1 24); do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 "$@" >"$log" 2>&1; then
      rm -f "$log"
      return 0
    fi
    if ! grep -qiE 'could not get lock|unable to acquire|unable to lock' "$log"; then break; fi
    echo "test setup: apt/dpkg is locked by another process; retrying in 5 s (attempt $attempt)" >&2
    sleep 5
  done
  cat "$log" >&2
  rm -f "$log"
  return 1
}

read -r -a need <<<"$(missing_packages)"
[ ${#need[@]} -eq 0 ] && exit 0

command_text="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test setup: missing Debian packages: ${need[*]}" >&2
  echo "test setup: install them as root, e.g.: sudo sh -c '$command_text'" >&2
  exit 1
fi

echo "test setup: installing Debian packages: ${need[*]}" >&2
if ! apt_get update -qq || ! apt_get install -y -qq --no-install-recommends "${need[@]}"; then
  echo "test setup: could not install ${need[*]}; try: $command_text" >&2
  exit 1
fi

read -r -a still <<<"$(missing_packages)"
if [ ${#still[@]} -ne 0 ]; then
  echo "test setup: installed, but programs of ${still[*]} are still missing from /usr/bin" >&2
  exit 1
fi
