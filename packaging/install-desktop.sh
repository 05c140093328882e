#!/usr/bin/env bash
# Install the frozen app (dist/mp-tutor/, built by `make package`) with its menu entry and icons.
#
#   packaging/install-desktop.sh [PREFIX]              # default PREFIX: ~/.local
#   packaging/install-desktop.sh --uninstall [PREFIX]
#
# Puts the bundle in PREFIX/lib/mp-tutor, a link in PREFIX/bin, the .desktop entry (its Exec
# pointing at that link by absolute path, so it works even when PREFIX/bin is not on the
# desktop session's PATH), the hicolor icons and the AppStream metainfo under PREFIX/share.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
uninstall=0
if [[ "${1:-}" == "--uninstall" ]]; then
    uninstall=1
    shift
fi
prefix="${1:-$HOME/.local}"
bundle="$root/dist/mp-tutor"
share="$prefix/share"
sizes=(16 24 32 48 64 128 256 512)

remove_all() {
    rm -rf "$prefix/lib/mp-tutor"
    rm -f "$prefix/bin/mp-tutor" "$share/applications/mp-tutor.desktop" \
        "$share/metainfo/io.github.mp_tutor.metainfo.xml" \
        "$share/icons/hicolor/scalable/apps/mp-tutor.svg"
    for size in "${sizes[@]}"; do
        rm -f "$share/icons/hicolor/${size}x${size}/apps/mp-tutor.png"
    done
}

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
    fi
}

if [[ $uninstall == 1 ]]; then
    remove_all
    refresh_caches
    echo "Removed Multiprocessing Tutor from $prefix"
    exit 0
fi

if [[ ! -x "$bundle/mp-tutor" ]]; then
    echo "install-desktop.sh: $bundle/mp-tutor not found; build it first with: make package" >&2
    exit 1
fi

remove_all
mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/metainfo" \
    "$share/icons/hicolor/scalable/apps"
cp -a "$bundle" "$prefix/lib/mp-tutor"
ln -s "../lib/mp-tutor/mp-tutor" "$prefix/bin/mp-tutor"

exec_path="$(cd "$prefix/bin" && pwd)/mp-tutor"
sed "s|^Exec=mp-tutor$|Exec=\"$exec_path\"|" "$here/mp-tutor.desktop" \
    >"$share/applications/mp-tutor.desktop"
cp "$here/io.github.mp_tutor.metainfo.xml" "$share/metainfo/"
cp "$root/resources/icons/mp-tutor.svg" "$share/icons/hicolor/scalable/apps/mp-tutor.svg"
for size in "${sizes[@]}"; do
    mkdir -p "$share/icons/hicolor/${size}x${size}/apps"
    cp "$root/resources/icons/mp-tutor-$size.png" \
        "$share/icons/hicolor/${size}x${size}/apps/mp-tutor.png"
done
refresh_caches

echo "Installed Multiprocessing Tutor in $prefix:"
echo "  app:   $exec_path"
echo "  menu:  $share/applications/mp-tutor.desktop"
echo "Remove it with: $0 --uninstall $prefix"
