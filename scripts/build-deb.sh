#!/usr/bin/env bash
# Wrap the PyInstaller build dist/MeetingRoom/ as dist/meetingroom_<version>_<arch>.deb:
#   /opt/meetingroom/                         the one-folder app
#   /usr/bin/meetingroom                      a symlink to /opt/meetingroom/MeetingRoom
#   /usr/share/applications/meetingroom.desktop
#   /usr/share/icons/hicolor/<size>/apps/meetingroom.png (and scalable/.../meetingroom.svg)
# Usage: scripts/build-deb.sh [DIST_DIR]   (default dist; run `make package`, which builds first)
set -euo pipefail
cd "$(dirname "$0")/.."

DIST="${1:-dist}"
APP="$DIST/MeetingRoom"
if [ ! -x "$APP/MeetingRoom" ]; then
  echo "build-deb: $APP/MeetingRoom is missing: run 'make package' (PyInstaller build) first" >&2
  exit 1
fi
command -v dpkg-deb >/dev/null || { echo "build-deb: dpkg-deb not found (apt-get install dpkg)" >&2; exit 1; }

# The version the built binary reports: the .deb can never disagree with it.
VERSION="$(QT_QPA_PLATFORM=offscreen "$APP/MeetingRoom" --version | awk '{print $2}')"
[ -n "$VERSION" ] || { echo "build-deb: $APP/MeetingRoom --version printed nothing" >&2; exit 1; }
ARCH="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
DEB="$DIST/meetingroom_${VERSION}_${ARCH}.deb"

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/meetingroom-deb.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
ROOTFS="$STAGE/root"
mkdir -p "$ROOTFS/DEBIAN" "$ROOTFS/opt" "$ROOTFS/usr/bin" "$ROOTFS/usr/share/applications"
cp -a "$APP" "$ROOTFS/opt/meetingroom"
ln -s /opt/meetingroom/MeetingRoom "$ROOTFS/usr/bin/meetingroom"

for png in resources/icons/meetingroom-*.png; do
  size="$(basename "$png" .png)"; size="${size#meetingroom-}"
  mkdir -p "$ROOTFS/usr/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$ROOTFS/usr/share/icons/hicolor/${size}x${size}/apps/meetingroom.png"
done
mkdir -p "$ROOTFS/usr/share/icons/hicolor/scalable/apps"
cp resources/icons/meetingroom.svg "$ROOTFS/usr/share/icons/hicolor/scalable/apps/meetingroom.svg"

cat > "$ROOTFS/usr/share/applications/meetingroom.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Version=1.5
Name=MeetingRoom
Name[vi]=Phòng họp không giấy
GenericName=Paperless meeting client
GenericName[vi]=Phòng họp không giấy
Comment=Read and annotate meeting documents, online or offline
Comment[vi]=Đọc và ghi chú tài liệu họp, có hoặc không có mạng
Exec=/opt/meetingroom/MeetingRoom
Icon=meetingroom
Terminal=false
Categories=Office;
StartupWMClass=MeetingRoom
DESKTOP

INSTALLED_KB="$(du -sk "$ROOTFS" | cut -f1)"
cat > "$ROOTFS/DEBIAN/control" <<CONTROL
Package: meetingroom
Version: $VERSION
Architecture: $ARCH
Maintainer: MeetingRoom IT <it@meetingroom.invalid>
Installed-Size: $INSTALLED_KB
Section: office
Priority: optional
Depends: libc6, libegl1, libfontconfig1, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0
Recommends: libwayland-cursor0
Description: Paperless meeting room client
 Read, search and annotate meeting packs (agenda, documents, seating chart)
 with or without a network; documents are kept encrypted on this computer.
 The policy file goes in /etc/meetingroom/policy.toml (see
 /opt/meetingroom/_internal/resources/policy.example.toml when present).
CONTROL

# Refresh the desktop menus and icon cache when the tools are there (never fail on it).
cat > "$ROOTFS/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
POSTINST
cp "$ROOTFS/DEBIAN/postinst" "$ROOTFS/DEBIAN/postrm"
sed -i 's/\[ "$1" = configure \]/[ "$1" = remove ] || [ "$1" = purge ]/' "$ROOTFS/DEBIAN/postrm"
chmod 0755 "$ROOTFS/DEBIAN/postinst" "$ROOTFS/DEBIAN/postrm"

# Files owned by root whoever builds; no world-writable bits.
chmod -R u+rwX,go+rX,go-w "$ROOTFS/opt" "$ROOTFS/usr"
# gzip by default: xz of ~240 MB took minutes on a 2-core CI machine; a
# release build can ask for the smaller package with DEB_COMPRESSION=xz.
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-gzip}" --build "$ROOTFS" "$DEB" >/dev/null
echo "build-deb: wrote $DEB ($(du -h "$DEB" | cut -f1))"
