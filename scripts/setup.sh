#!/usr/bin/env bash
# Installs what geoad-bench needs on a fresh Debian 12 machine with Node 20, then builds it.
#   scripts/setup.sh          runtime: build tools and cairo/pango for the report's PNG figures, npm packages, build
#   scripts/setup.sh --test   also the test peers: Blender, Chromium, single-node Slurm, Debian Python (tifffile,
#                             scipy, open3d, torch) used by tests and benchmarks only
set -euo pipefail
cd "$(dirname "$0")/.."

runtime=(build-essential pkg-config libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev fonts-dejavu-core)
test_peers=(blender python3-numpy python3-tifffile python3-scipy python3-open3d python3-torch libopenblas0 libtiff-tools
  chromium slurmctld slurmd slurm-client munge hyperfine)
packages=("${runtime[@]}")
[ "${1:-}" = --test ] && packages+=("${test_peers[@]}")

missing=()
for p in "${packages[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# @tensorflow/tfjs-node-gpu is optional: its libtensorflow download fails where only the npm registry is reachable,
# and npm then leaves it out; the WASM and CPU backends need nothing else.
npm ci --no-audit --no-fund
npm run build
