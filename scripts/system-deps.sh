#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages MeetingRoom needs beyond Python:
# Qt's runtime libraries (xcb platform plugin, EGL/GL, fontconfig, xkbcommon,
# D-Bus) and fonts with Vietnamese glyphs. Installs only what is missing, and
# only when it can (root, or passwordless sudo); otherwise it prints the
# command to run and carries on, because `make test` runs Qt offscreen and
# needs fewer of them.
set -euo pipefail

packages=(
  python3-venv
  libgl1 libegl1 libglib2.0-0 libdbus-1-3 libfontconfig1 fontconfig
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libxcb-xfixes0 libx11-xcb1
  fonts-noto-core fonts-dejavu-core
)

command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian/Ubuntu system; see README for the package list"; exit 0; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"
else
  echo "system-deps: missing ${missing[*]}"
  echo "system-deps: run: sudo apt-get install -y ${missing[*]}"
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
