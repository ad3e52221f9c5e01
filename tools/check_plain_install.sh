#!/usr/bin/env bash
# What a user of a plain `pip install .` (no extras) runs first, from a folder outside the repository, with the venv's
# `gdnb` and `python` first on PATH: --help, --version, `python -m guided_diffusion_nb`, a tiny `gdnb run` (its output
# into a log file: plain lines, no progress-bar control characters), a rerun that reuses it, and an import of every
# public module. Exit 1 naming what failed.
set -euo pipefail
fail() { echo "plain install: $*" >&2; exit 1; }
python -c "import accelerate" 2>/dev/null && fail "accelerate is importable: this is not a plain install"
gdnb --help > /dev/null || fail "gdnb --help failed"
gdnb --version || fail "gdnb --version failed"
python -m guided_diffusion_nb --version > /dev/null || fail "python -m guided_diffusion_nb failed"
out=$(mktemp -d)/run
tiny=(--out "$out" --n-train 128 --epochs 1 --clf-epochs 1 --eval-epochs 1 --ch 16 --steps 2 --n-per-class 1 --cfg-scales 2 --clf-scales 3 --guide-intervals 2)
gdnb run "${tiny[@]}" > "$out.log" 2>&1 || { tail -20 "$out.log"; fail "a tiny gdnb run failed"; }
grep -q $'\r' "$out.log" && fail "the log of a run holds carriage returns (progress bars)"
head -1 "$out.log" | grep -q '^gdnb run: ' || fail "the first line of a run does not say what will run: $(head -1 "$out.log")"
test -s "$out/report.md" || fail "no report.md"
gdnb run "${tiny[@]}" > "$out.rerun.log" 2>&1 || fail "the rerun failed"
grep -q "report: reusing report.md" "$out.rerun.log" || fail "a rerun did not reuse the finished run"
python - <<'PY' || fail "a public module does not import"
import importlib
from guided_diffusion_nb._modidx import d
mods = sorted({k for k in d['syms'] if k.startswith('guided_diffusion_nb.')})
for m in mods: importlib.import_module(m)
print(f"plain install: gdnb runs from another folder; {len(mods)} public modules import")
PY
