#!/bin/sh
# Install Tallybook for the current user: the app (from a built bundle, if given), its desktop
# entry, the application/x-tallybook MIME type for *.tallybook files, and the icons, all under
# ~/.local (XDG_DATA_HOME). No root needed. Double-clicking a book then opens it in Tallybook.
#
#   packaging/linux/install.sh                 # integrate; use dist/Tallybook if it was built,
#                                              # else a `tallybook` already on PATH (pip install)
#   packaging/linux/install.sh --bundle DIR    # copy the PyInstaller folder DIR and link it
#   packaging/linux/install.sh --uninstall     # remove everything this script installed
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
res="$root/resources"
app_id=io.tallybook.Tallybook
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="${TALLYBOOK_BIN_DIR:-$HOME/.local/bin}"
app_dir="$data/tallybook"
sizes="16 22 24 32 48 64 128 256 512"

bundle=""
uninstall=0
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) bundle=${2:?--bundle needs a folder}; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

refresh() {
    # Each cache tool is optional: without it the desktop rescans on its own, only later.
    if command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$data/mime"
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$data/applications"
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$data/icons/hicolor" || true
    fi
}

if [ "$uninstall" = 1 ]; then
    rm -f "$data/applications/$app_id.desktop" \
          "$data/mime/packages/$app_id.xml" \
          "$data/metainfo/$app_id.metainfo.xml" \
          "$data/icons/hicolor/scalable/apps/$app_id.svg" \
          "$data/icons/hicolor/scalable/mimetypes/application-x-tallybook.svg"
    for s in $sizes; do
        rm -f "$data/icons/hicolor/${s}x${s}/apps/$app_id.png" \
              "$data/icons/hicolor/${s}x${s}/mimetypes/application-x-tallybook.png"
    done
    if [ -L "$bin/tallybook" ] && [ "$(readlink "$bin/tallybook")" = "$app_dir/bundle/tallybook" ]; then
        rm -f "$bin/tallybook"
    fi
    rm -rf "$app_dir/bundle"
    rmdir "$app_dir" 2>/dev/null || true
    mkdir -p "$data/mime/packages" "$data/applications"
    refresh
    echo "Tallybook removed from $data"
    exit 0
fi

if [ -z "$bundle" ] && [ -x "$root/dist/Tallybook/tallybook" ]; then
    bundle="$root/dist/Tallybook"
fi

if [ -n "$bundle" ]; then
    [ -x "$bundle/tallybook" ] || { echo "install.sh: no executable $bundle/tallybook" >&2; exit 1; }
    # Copy to a staging folder first so a failed copy never leaves half a bundle in place.
    mkdir -p "$app_dir" "$bin"
    rm -rf "$app_dir/bundle.new"
    cp -R "$bundle" "$app_dir/bundle.new"
    rm -rf "$app_dir/bundle"
    mv "$app_dir/bundle.new" "$app_dir/bundle"
    ln -sf "$app_dir/bundle/tallybook" "$bin/tallybook"
    exe="$app_dir/bundle/tallybook"
elif command -v tallybook >/dev/null 2>&1; then
    exe=$(command -v tallybook)
else
    echo "install.sh: no bundle (run packaging/build.py) and no tallybook on PATH" >&2
    exit 1
fi

install -d "$data/applications" "$data/mime/packages" "$data/metainfo" \
    "$data/icons/hicolor/scalable/apps" "$data/icons/hicolor/scalable/mimetypes"
# Point Exec at the absolute path: a desktop session's PATH often lacks ~/.local/bin.
sed -e "s|^Exec=tallybook |Exec=$exe |" -e "s|^TryExec=tallybook\$|TryExec=$exe|" \
    "$res/linux/$app_id.desktop" > "$data/applications/$app_id.desktop"
install -m 644 "$res/linux/$app_id.mime.xml" "$data/mime/packages/$app_id.xml"
install -m 644 "$res/linux/$app_id.metainfo.xml" "$data/metainfo/$app_id.metainfo.xml"
install -m 644 "$res/icons/tallybook.svg" "$data/icons/hicolor/scalable/apps/$app_id.svg"
install -m 644 "$res/icons/tallybook.svg" \
    "$data/icons/hicolor/scalable/mimetypes/application-x-tallybook.svg"
for s in $sizes; do
    png="$res/icons/hicolor/${s}x${s}/apps/$app_id.png"
    install -d "$data/icons/hicolor/${s}x${s}/apps" "$data/icons/hicolor/${s}x${s}/mimetypes"
    install -m 644 "$png" "$data/icons/hicolor/${s}x${s}/apps/$app_id.png"
    install -m 644 "$png" "$data/icons/hicolor/${s}x${s}/mimetypes/application-x-tallybook.png"
done
# Touch the theme folder so icon caches notice the new files.
touch "$data/icons/hicolor"
refresh
if command -v xdg-mime >/dev/null 2>&1; then
    xdg-mime default "$app_id.desktop" application/x-tallybook || true
fi
echo "Tallybook installed for $(id -un): $exe"
echo "  desktop entry: $data/applications/$app_id.desktop"
echo "  *.tallybook files open in Tallybook (application/x-tallybook)"
