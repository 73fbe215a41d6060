#!/usr/bin/env bash
# install-deps.sh — install the Debian packages firstmile builds and tests with.
# A no-op when everything is already there; otherwise needs root (apt-get).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libcli11-dev          # command line
  libsqlite3-dev        # the store
  nlohmann-json3-dev    # JSON in and out
  libre2-dev            # classification rules
  libgit2-dev           # git history
  libcurl4-openssl-dev  # HTTP (GitHub REST, chat completions)
  libcpp-httplib-dev    # loopback test servers
  libboost-math-dev     # distributions for p-values
  zlib1g-dev            # GH Archive dumps
  libssl-dev            # SHA hashes (OpenSSL)
  doctest-dev           # tests
  sqlite3               # the shell users query the store with
  git                   # the line counts of `firstmile git` are tested against git log --numstat
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to apt-get: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
