#!/usr/bin/env bash
# Installs the Debian packages interleave needs, only those missing.
# Usage: tools/install-deps.sh [--with-clang] [--sanitize] [--fuzz] [--bench]
#   --with-clang  also install clang++ (CI builds with both compilers)
#   --sanitize    also install clang++ and its ASan/UBSan runtimes (-DINTERLEAVE_SANITIZE)
#   --fuzz        also install clang++ and its libFuzzer, ASan and UBSan runtimes (-DINTERLEAVE_BUILD_FUZZ)
#   --bench       also install Relacy, for bench/vs_relacy
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config libboost-context-dev libfmt-dev libspdlog-dev libcli11-dev catch2
  libtomlplusplus-dev libxxhash-dev nlohmann-json3-dev
  libxml2-utils  # xmllint: tests/tools/regress_workflow.sh validates the JUnit reports
  chromium)      # headless: tests/tools/html_timeline.sh loads the HTML timeline
for argument in "$@"; do
  case "$argument" in
    --with-clang) packages+=(clang) ;;
    --sanitize) packages+=(clang libclang-rt-14-dev) ;;  # the sanitizer runtimes of Debian 12's clang 14
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;  # the same package holds libFuzzer
    --bench) packages+=(relacy-dev) ;;  # bench/vs_relacy is built only when Relacy is installed
    *)
      echo "install-deps.sh: unknown argument '$argument' (expected --with-clang, --sanitize, --fuzz, --bench or nothing)" >&2
      exit 2
      ;;
  esac
done

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps.sh: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then
    sudo="sudo"
  else
    echo "install-deps.sh: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
