"""Offline docs preview: render the notebooks in nbs/ to a static HTML site (no quarto needed).

The real site is built by quarto (`nbdev-docs`, see .github/workflows/deploy.yaml), which cannot be installed offline.
This renders the same notebooks the way nbdev processes them for quarto -- `#| hide` cells dropped, directive lines
removed, `#| echo: false` inputs hidden, links to notebooks pointing at their pages -- with nbconvert, adds a navigation
bar, and writes DIR/index.html plus one page per notebook. Every page carries a tiny script that, once the page has
loaded, records on <body> how many images it has and how many failed to load (read by tools/check_docs.py).

    python tools/preview_docs.py [--out _preview]
"""
from __future__ import annotations
import argparse, html, json, os, re, shutil, sys, tempfile
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')
CHECK_JS = """<script>
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
  document.body.setAttribute('data-images', imgs.length);
  document.body.setAttribute('data-broken-images', broken.length);
  document.body.setAttribute('data-broken-srcs', broken.map(function (i) { return i.src.slice(0, 120); }).join(' '));
});
</script>"""


def directives(src: str) -> list[str]:
    "The `#| ...` directive lines at the top of a cell"
    out = []
    for line in src.splitlines():
        m = DIRECTIVE.match(line)
        if m: out.append(m.group(1).strip())
        elif line.strip(): break
    return out


def process(nb) -> None:
    "Drop hidden cells, strip directives, hide echo:false inputs, link notebooks to pages (in place)"
    cells = []
    for c in nb.cells:
        d = directives(c.source) if c.cell_type == 'code' else []
        if any(x in ('hide', 'default_exp') or x.startswith(('default_exp ', 'hide')) for x in d): continue
        if c.cell_type == 'code':
            c.source = '\n'.join(l for l in c.source.splitlines() if not DIRECTIVE.match(l)).strip('\n')
            if any(x.replace(' ', '') in ('echo:false',) for x in d): c.metadata['jupyter'] = {'source_hidden': True}; c.metadata['hide_input'] = True
            if not c.source and not c.get('outputs'): continue
        else:
            c.source = re.sub(r'\(([^)\s]+)\.ipynb(#[^)]*)?\)', lambda m: f'({m.group(1)}.html{m.group(2) or ""})', c.source)
        cells.append(c)
    nb.cells = cells


def title_of(nb, fallback: str) -> str:
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return fallback


def pages() -> list[Path]:
    "index first, then the numbered modules, then the tutorials"
    mods = sorted(p for p in NBS.glob('*.ipynb') if p.name != 'index.ipynb' and not p.name.startswith('_'))
    tuts = sorted((NBS / 'tutorials').glob('*.ipynb'))
    return [NBS / 'index.ipynb', *mods, *tuts]


def nav(items: list[tuple[str, str]], here: str) -> str:
    depth = here.count('/')
    up = '../' * depth
    bold = ' style="font-weight:bold"'
    links = ' · '.join(f'<a href="{up}{href}"{bold if href == here else ""}>{html.escape(t)}</a>' for href, t in items)
    return f'<nav style="padding:8px 16px;border-bottom:1px solid #ccc;font:14px sans-serif;background:#f7f7f7">{links}</nav>'


def build(out: Path) -> list[Path]:
    exporter = HTMLExporter(template_name='lab')
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    items, nbs = [], []
    for p in pages():
        nb = nbformat.read(p, as_version=4)
        process(nb)
        href = p.relative_to(NBS).with_suffix('.html').as_posix()
        items.append((href, title_of(nb, p.stem))); nbs.append((href, nb))
    tmp = Path(tempfile.mkdtemp(prefix='preview-', dir=out.parent))
    written = []
    try:
        for href, nb in nbs:
            body, _ = exporter.from_notebook_node(nb, resources={'metadata': {'name': dict(items)[href]}})
            body = body.replace('<body', '<body data-page="' + html.escape(href) + '"', 1)
            body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + nav(items, href), body, count=1)
            body = body.replace('</body>', CHECK_JS + '</body>', 1)
            f = tmp / href; f.parent.mkdir(parents=True, exist_ok=True); f.write_text(body, encoding='utf-8')
            written.append(out / href)
        for d in ('images', 'figures'):                      # pictures that markdown cells link to
            for base in (NBS, NBS / 'tutorials'):
                if (base / d).is_dir(): shutil.copytree(base / d, tmp / base.relative_to(NBS) / d, dirs_exist_ok=True)
        (tmp / 'pages.json').write_text(json.dumps([h for h, _ in items], indent=1))
        if out.exists(): shutil.rmtree(out)
        os.replace(tmp, out)                                  # the preview appears whole or not at all
    finally:
        if tmp.exists(): shutil.rmtree(tmp, ignore_errors=True)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=str(ROOT / '_preview'), help='output folder (replaced)')
    a = ap.parse_args(argv)
    out = Path(a.out).resolve(); out.parent.mkdir(parents=True, exist_ok=True)
    written = build(out)
    print(f"docs preview: {len(written)} pages in {out} (open {out / 'index.html'})")
    return 0


if __name__ == '__main__': sys.exit(main())
