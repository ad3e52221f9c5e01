#!/usr/bin/env python
"""Render nbs/index.ipynb to README.md (quarto, which `nbdev-readme` needs, cannot be installed offline).

Markdown cells are copied as they are (relative picture links re-pointed into nbs/); code cells not flagged `#| hide` become ```python blocks followed by their
text outputs. `--check` exits 1 when README.md differs from what index.ipynb renders to."""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def _src(cell): return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']

def _outputs(cell):
    out = []
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'stream': out.append(''.join(o['text']))
        elif 'data' in o and 'text/markdown' in o['data']: out.append(''.join(o['data']['text/markdown']))
        elif 'data' in o and 'text/plain' in o['data'] and 'image/png' not in o['data']:
            out.append('```\n' + ''.join(o['data']['text/plain']).rstrip('\n') + '\n```')
    return out

def render(nb_path=ROOT / 'nbs' / 'index.ipynb') -> str:
    nb, parts = json.loads(Path(nb_path).read_text()), []
    for cell in nb['cells']:
        src = _src(cell).strip('\n')
        if cell['cell_type'] == 'markdown': parts.append(re.sub(r'\]\((?!https?:|/|#)([^)]+\.(?:png|jpg|svg|gif))\)', r'](nbs/\1)', src))   # pictures live beside the notebook
        elif cell['cell_type'] == 'code':
            lines = src.splitlines()
            if any(l.strip().replace(' ', '') in ('#|hide', '#|include:false') for l in lines): continue
            code = '\n'.join(l for l in lines if not l.startswith('#|')).strip('\n')
            if code: parts.append('```python\n' + code + '\n```')
            parts += [o.rstrip('\n') for o in _outputs(cell) if o.strip()]
    return '<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'

def main(argv):
    txt, readme = render(), ROOT / 'README.md'
    if '--check' in argv:
        if not readme.exists() or readme.read_text() != txt:
            print('README.md is out of date with nbs/index.ipynb: run `python tools/make_readme.py`'); return 1
        print('README.md matches nbs/index.ipynb'); return 0
    readme.write_text(txt); print(f'wrote {readme}'); return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
