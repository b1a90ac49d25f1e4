#!/usr/bin/env bash
# Installs the system components teamprotocol needs: LibreOffice Writer (headless), the
# open fonts the templates use, and Chromium with its driver (the tests open overzicht.html
# in a real browser), and npm, which installs axe-core for the overview's accessibility test
# (Makefile). Idempotent: does nothing when they are already there.
# On Debian bookworm the default LibreOffice (7.4) loses content-control tags on save
# (see docs in README), so we take it from bookworm-backports (25.x).
set -euo pipefail

need_lo=1
if command -v soffice >/dev/null 2>&1; then
  ver=$(soffice --version 2>/dev/null | awk '{print $2}' | cut -d. -f1)
  if [ -n "$ver" ] && [ "$ver" -ge 24 ] 2>/dev/null; then need_lo=0; fi
fi
need_fonts=0
for f in /usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf /usr/share/fonts/truetype/crosextra/Caladea-Regular.ttf; do
  [ -f "$f" ] || need_fonts=1
done
need_uno=0
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import uno' 2>/dev/null || need_uno=1
need_pdftools=0
command -v pdftoppm >/dev/null 2>&1 || need_pdftools=1
need_chromium=0
{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || need_chromium=1
need_npm=0
command -v npm >/dev/null 2>&1 || need_npm=1

if [ $need_lo -eq 0 ] && [ $need_fonts -eq 0 ] && [ $need_uno -eq 0 ] && [ $need_pdftools -eq 0 ] \
    && [ $need_chromium -eq 0 ] && [ $need_npm -eq 0 ]; then
  echo "LibreOffice $(soffice --version | awk '{print $2}'), lettertypen en Chromium zijn aanwezig."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "LibreOffice (versie 24 of nieuwer), de lettertypen Carlito en Caladea en/of Chromium ontbreken." >&2
  echo "Installeer ze als beheerder, bijvoorbeeld op Debian 12:" >&2
  echo "  sudo apt-get install -t bookworm-backports libreoffice-writer-nogui python3-uno fonts-crosextra-carlito fonts-crosextra-caladea poppler-utils" >&2
  echo "  sudo apt-get install chromium chromium-driver npm" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
target=()
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ "$codename" = "bookworm" ]; then
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Same archive as the system's own sources, suite bookworm-backports.
    uri=$(grep -rhs '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
    [ -n "$uri" ] || uri="http://deb.debian.org/debian"
    cat > /etc/apt/sources.list.d/bookworm-backports.sources <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  target=(-t bookworm-backports)
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${target[@]}" \
  libreoffice-writer-nogui python3-uno libreoffice-script-provider-python
apt-get install -y -qq --no-install-recommends \
  fonts-crosextra-carlito fonts-crosextra-caladea fonts-dejavu-core poppler-utils
# Debian's own Chromium (bookworm-security), not a browser build downloaded by a test library.
apt-get install -y -qq --no-install-recommends chromium chromium-driver
command -v npm >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends npm
echo "Geïnstalleerd: $(soffice --version)"
