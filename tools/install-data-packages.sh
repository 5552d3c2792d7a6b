#!/usr/bin/env bash
# Fonts and photographs the synthetic generator (src/TwinHead.Synthetic) uses when present.
# Idempotent: apt-get skips what is installed. Licences are listed in THIRD-PARTY-DATA.md.
# The generator still runs without them (default typeface, synthetic scenes only), just with less variety.
set -euo pipefail
packages=(
  fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-liberation2 fonts-freefont-ttf fonts-urw-base35
  fonts-crosextra-carlito fonts-crosextra-caladea fonts-open-sans fonts-roboto-unhinted fonts-linuxlibertine
  fonts-lato fonts-ebgaramond fonts-courier-prime fonts-inconsolata fonts-hack fonts-texgyre
  fonts-comic-neue fonts-humor-sans fonts-dancingscript
  mate-backgrounds gnome-backgrounds xfdesktop4-data ukui-wallpapers
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-data-packages: all ${#packages[@]} packages present"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
