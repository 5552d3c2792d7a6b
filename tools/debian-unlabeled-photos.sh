#!/usr/bin/env bash
# Builds a folder of unlabelled images for `distill.unlabeled` from Debian packages' pictures, as symbolic links:
# wallpapers under /usr/share/backgrounds (tools/install-data-packages.sh, plus lomiri-wallpapers-16.04 and
# lomiri-wallpapers-20.04 if installed), one image per Plasma wallpaper (plasma-workspace-wallpapers ships several
# resolutions of each), one resolution of sway-backgrounds' wallpaper, palapeli-data's five puzzle photographs and five
# table textures and, unless --photos-only, the tuxpaint-stamps-default stamps except the symbols (clip-art).
# Licences: THIRD-PARTY-DATA.md and each package's /usr/share/doc/<package>/copyright. Never add shared/data here: it
# is validation only.
# Usage: tools/debian-unlabeled-photos.sh [--photos-only] OUT_DIR
set -euo pipefail
stamps=1
if [ "${1:-}" = "--photos-only" ]; then stamps=0; shift; fi
out=${1:?usage: $0 [--photos-only] OUT_DIR}
mkdir -p "$out/backgrounds" "$out/plasma" "$out/stamps"
# A hash of the full path keeps equal file names apart; it fixes the sorted order the trainer sees.
link() { ln -sf "$1" "$2/$(echo "$1" | md5sum | cut -c1-8)-$(basename "$1")"; }
if [ -d /usr/share/backgrounds ]; then
  # sway-backgrounds ships one picture in eight sizes and orientations: one of them, or it weighs eight times.
  find /usr/share/backgrounds -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) -size +20k -size -8M \
    \( -not -name 'Sway_Wallpaper_*' -o -name 'Sway_Wallpaper_*_1920x1080.png' \) -print0 |
    while IFS= read -r -d '' f; do link "$f" "$out/backgrounds"; done
fi
if [ -d /usr/share/wallpapers ]; then
  for d in /usr/share/wallpapers/*/contents; do
    f=$(find "$d" -path '*images/*' -type f \( -name '*.jpg' -o -name '*.png' \) -size -8M | sort | tail -1)
    if [ -n "$f" ]; then ln -sf "$f" "$out/plasma/$(basename "$(dirname "$d")")-$(basename "$f")"; fi
  done
fi
if [ -d /usr/share/palapeli ]; then
  # Searched from the package's root: a missing subfolder would make find fail and, under pipefail, stop the script.
  find /usr/share/palapeli -type f -name '*.jpg' \( -path '*/collection/*' -o -path '*/backgrounds/*' \) -print0 |
    while IFS= read -r -d '' f; do link "$f" "$out/backgrounds"; done
fi
if [ "$stamps" = 1 ] && [ -d /usr/share/tuxpaint/stamps ]; then
  find /usr/share/tuxpaint/stamps -type f -name '*.png' -not -path '*symbols*' -size +8k -print0 |
    while IFS= read -r -d '' f; do link "$f" "$out/stamps"; done
fi
for d in backgrounds plasma stamps; do echo "$d: $(find "$out/$d" -type l | wc -l) images"; done
