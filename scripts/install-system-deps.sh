#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: Debian's chromium (the browser tests), a
# single-node Ceph (mon, osd, radosgw: the S3 the end-to-end tests run against) and PostgreSQL (the records tests). Nothing is downloaded from
# anywhere but Debian's own archive. Runs as root, or through passwordless sudo.
set -euo pipefail

browser=()
ceph=()
[ -x /usr/bin/chromium ] || browser+=(chromium)
for pair in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw radosgw-admin:ceph-common monmaptool:ceph-base; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || ceph+=("${pair#*:}")
done
# PostgreSQL for the records tests against a real server.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ceph+=(postgresql)
[ ${#browser[@]} -eq 0 ] && [ ${#ceph[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "Missing Debian packages: ${browser[*]} ${ceph[*]}. Install them as root:" >&2
  echo "  apt-get install -y chromium && apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common" >&2
  exit 1
fi

echo "Installing Debian packages: ${browser[*]} ${ceph[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
[ ${#browser[@]} -gt 0 ] && "${as_root[@]}" apt-get install -y -qq "${browser[@]}" >/dev/null
[ ${#ceph[@]} -gt 0 ] && "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${ceph[@]}" >/dev/null
echo "Debian packages installed."
