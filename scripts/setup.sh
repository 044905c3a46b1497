#!/usr/bin/env bash
# Install what the demo and the tests need on a fresh Debian 12 machine with Node 20:
# Debian packages for the offline world and the browsers, then the npm packages (no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  bind9 bind9-utils bind9-dnsutils 
  unbound unbound-host             
  knot-dnsutils ldnsutils          
  openssl libnss3-tools            
  iproute2 procps                  
  chromium firefox-esr             
  librsvg2-bin                     
  fonts-dejavu-core                
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  case "$p" in \#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts these services on install where an init system runs; the world runs its own instances.
for svc in named bind9 unbound; do
  (command -v systemctl >/dev/null && systemctl stop "$svc" 2>/dev/null) || true
done

export PUPPETEER_SKIP_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ready"
