#!/usr/bin/env bash
# Installs the Debian packages interleave needs, only those missing.
# Usage: tools/install-deps.sh [--with-clang] [--fuzz] [--bench]
#   --with-clang  also install clang++ (CI builds with both compilers)
#   --fuzz        also install clang++ and its runtime libraries (libFuzzer, ASan, UBSan), for fuzz/
#   --bench       also install Relacy, for bench/vs_relacy
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config libboost-context-dev libfmt-dev libspdlog-dev libcli11-dev catch2
  libtomlplusplus-dev libxxhash-dev nlohmann-json3-dev)
for argument in "$@"; do
  case "$argument" in
    --with-clang) packages+=(clang) ;;
    --fuzz) packages+=(clang libclang-rt-dev) ;;  # libclang-rt-dev: libFuzzer and the sanitizer runtimes
    --bench) packages+=(relacy-dev) ;;  # bench/vs_relacy is built only when Relacy is installed
    *)
      echo "install-deps.sh: unknown argument '$argument' (expected --with-clang, --fuzz, --bench or nothing)" >&2
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
