#!/usr/bin/env bash
# Check the .deb that scripts/build-deb.sh made: its file list has the app in
# /opt/meetingroom, the launcher symlink, the desktop entry and the icons; and
# the app unpacked from it (dpkg-deb -x, no install) passes --version and --selftest.
# Usage: scripts/check-deb.sh [DIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
DIST="${1:-dist}"
shopt -s nullglob
debs=("$DIST"/meetingroom_*.deb)
[ "${#debs[@]}" -eq 1 ] || { echo "check-deb: expected one $DIST/meetingroom_*.deb, found ${#debs[@]}" >&2; exit 1; }
DEB="${debs[0]}"
LISTING="$(dpkg-deb -c "$DEB")"
status=0
for path in ./opt/meetingroom/MeetingRoom \
            ./opt/meetingroom/_internal/resources/i18n/meetingroom_vi.qm \
            ./opt/meetingroom/_internal/resources/fonts/NotoSerif-Regular.ttf \
            ./opt/meetingroom/_internal/PySide6/Qt/plugins/platforms/libqxcb.so \
            ./opt/meetingroom/_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so \
            ./usr/bin/meetingroom \
            ./usr/share/applications/meetingroom.desktop \
            ./usr/share/icons/hicolor/48x48/apps/meetingroom.png \
            ./usr/share/icons/hicolor/scalable/apps/meetingroom.svg; do
  if ! grep -qF " $path" <<<"$LISTING"; then
    echo "check-deb: $DEB lacks $path" >&2
    status=1
  fi
done
grep -qF "./usr/bin/meetingroom -> /opt/meetingroom/MeetingRoom" <<<"$LISTING" \
  || { echo "check-deb: /usr/bin/meetingroom is not a symlink to /opt/meetingroom/MeetingRoom" >&2; status=1; }
if grep -E '^[-d].{7}w' <<<"$LISTING" >/dev/null; then
  echo "check-deb: world-writable files in $DEB" >&2
  status=1
fi
[ "$status" -eq 0 ] || exit 1
UNPACKED="$(mktemp -d "${TMPDIR:-/tmp}/meetingroom-deb-check.XXXXXX")"
trap 'rm -rf "$UNPACKED"' EXIT
dpkg-deb -x "$DEB" "$UNPACKED"
QT_QPA_PLATFORM=offscreen "$UNPACKED/opt/meetingroom/MeetingRoom" --version
QT_QPA_PLATFORM=offscreen "$UNPACKED/opt/meetingroom/MeetingRoom" --selftest
echo "check-deb: $DEB: $(wc -l <<<"$LISTING") entries, layout and selftest ok"
