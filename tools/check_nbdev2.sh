#!/usr/bin/env bash
# nbdev 2.4 users read settings.ini: in its own venv (VENV, created when missing), nbdev 2.4.14's nbdev_export and
# nbdev_clean must change nothing in a clean copy of the committed tree. Exit 1 naming the files that changed.
#
#     bash tools/check_nbdev2.sh [VENV]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-${TMPDIR:-/tmp}/gdnb-nbdev2}"
if [ ! -x "$venv/bin/nbdev_export" ]; then
  python -m venv "$venv"
  # nbdev 2.4.14 imports execnb.nbio, gone from execnb 0.2+; fastcore 1.12 is the line it was released with
  "$venv/bin/pip" install -q "nbdev==2.4.14" "execnb==0.1.18" "fastcore>=1.12.3,<1.13"
fi
copy=$(mktemp -d); trap 'rm -rf "$copy"' EXIT
git clone -q . "$copy"
(cd "$copy" && "$venv/bin/nbdev_export" && "$venv/bin/nbdev_clean")
if [ -n "$(git -C "$copy" status --porcelain)" ]; then
  echo "nbdev 2.4.14 (settings.ini) exports other files than nbdev v3 (pyproject.toml): regenerate settings.ini with"
  echo "python tools/make_settings_ini.py, or align the settings:"
  git -C "$copy" status --porcelain; git -C "$copy" diff | head -40
  exit 1
fi
echo "nbdev 2.4.14: nbdev_export and nbdev_clean change nothing (settings.ini agrees with pyproject.toml)"
