#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: Debian's chromium, firefox-esr and WebKitGTK's
# WebDriver with MiniBrowser (webkit2gtk-driver, run under xvfb-run from xvfb): the browser tests; a
# single-node Ceph (mon, osd, radosgw: the S3 the end-to-end tests run against), PostgreSQL (the records tests) and
# libmseed's example file and tools (the processing tests' miniSEED). Nothing is downloaded from
# anywhere but Debian's own archive. Runs as root, or through passwordless sudo.
set -euo pipefail

browser=()
ceph=()
[ -x /usr/bin/chromium ] || browser+=(chromium)
[ -x /usr/bin/firefox-esr ] || browser+=(firefox-esr)
# WebKitWebDriver comes with webkit2gtk-driver; MiniBrowser with libwebkit2gtk-4.1-0, which it depends on.
{ [ -x /usr/bin/WebKitWebDriver ] && ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser >/dev/null 2>&1; } || browser+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null 2>&1 || browser+=(xvfb)
command -v xauth >/dev/null 2>&1 || browser+=(xauth)  # xvfb-run needs it; only recommended by xvfb
for pair in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw radosgw-admin:ceph-common monmaptool:ceph-base; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || ceph+=("${pair#*:}")
done
# PostgreSQL for the records tests against a real server.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ceph+=(postgresql)
# libmseed's example miniSEED file (libmseed-doc) and its converters (mseed2sac, sac2mseed): the processing tests'
# real miniSEED data.
[ -f /usr/share/doc/libmseed-dev/examples/test.mseed ] || ceph+=(libmseed-doc)
command -v mseed2sac >/dev/null 2>&1 || ceph+=(mseed2sac)
command -v sac2mseed >/dev/null 2>&1 || ceph+=(sac2mseed)
[ ${#browser[@]} -eq 0 ] && [ ${#ceph[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "Missing Debian packages: ${browser[*]} ${ceph[*]}. Install them as root:" >&2
  echo "  apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb xauth && apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common postgresql libmseed-doc mseed2sac sac2mseed" >&2
  exit 1
fi

echo "Installing Debian packages: ${browser[*]} ${ceph[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
[ ${#browser[@]} -gt 0 ] && "${as_root[@]}" apt-get install -y -qq "${browser[@]}" >/dev/null
[ ${#ceph[@]} -gt 0 ] && "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${ceph[@]}" >/dev/null
echo "Debian packages installed."
