#!/usr/bin/env bash
# Installs what sopdoc needs on a fresh Debian/Ubuntu machine, and only what is missing:
# system packages through apt-get (with sudo when not root), then a virtualenv in .venv
# with the package and its pinned dependencies. Safe to run again; it does nothing when
# everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the toolchain needs at run or test time.
APT_PACKAGES=(
  python3-venv
  graphviz                 # neato routes the flowchart arrows; SVG and PNG output
  fonts-liberation         # Liberation Sans: metric-compatible with Arial, embedded in PDFs
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint
  poppler-utils            # pdftoppm/pdftotext, to look at and test the PDFs
  libreoffice-writer-nogui # tests: a real word processor opens the DOCX we write
  chromium                 # tests: the public site in a real browser (Playwright drives it)
  softhsm2                 # tests: a real PKCS#11 token (libsofthsm2.so) for signing with USB tokens
)
# Node.js and npm fetch axe-core for the accessibility tests; a machine with its own Node keeps it.
command -v npm >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

PYTHON=${PYTHON:-python3}
VENV=.venv

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: apt-get not found; please install: ${missing[*]}" >&2
    exit 1
  fi
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: sopdoc needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

# Reinstall the Python side only when the pins changed.
stamp=$VENV/.installed
if [ ! -x "$VENV/bin/python" ] || [ ! -f "$stamp" ] \
   || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "setup: preparing $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip==25.3
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -c constraints.txt -e '.[test]'
  touch "$stamp"
fi

# axe-core (npm), pinned by tests/browser/package-lock.json, for the accessibility tests.
browser=tests/browser
if [ ! -f "$browser/node_modules/.package-lock.json" ] \
   || [ "$browser/package-lock.json" -nt "$browser/node_modules/.package-lock.json" ]; then
  echo "setup: installing $browser/node_modules (npm ci)"
  npm ci --prefix "$browser" --no-audit --no-fund --loglevel=error
fi
