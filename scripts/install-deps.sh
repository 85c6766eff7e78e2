#!/usr/bin/env bash
# Installs the Debian packages ocrfix builds and tests with, skipping those already present.
# Safe to run again; needs root or sudo only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config python3 python3-pip python3-venv python3-dev
  libgtest-dev libutf8proc-dev libcli11-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  libcpp-httplib-dev libhunspell-dev hunspell-en-us hunspell-fr hunspell-de-de libpugixml-dev
  tesseract-ocr tesseract-ocr-eng fonts-dejavu-core
  libtesseract-dev libleptonica-dev libpoppler-cpp-dev tesseract-ocr-fra tesseract-ocr-deu tesseract-ocr-frk
  chromium
  imagemagick fonts-liberation2
  poppler-utils ghostscript
  wrk util-linux
)
# Node.js runs the web page test. A node already on PATH is kept: NodeSource's nodejs
# bundles npm and conflicts with Debian's npm package.
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
