"""Offline docs preview: render the notebooks in nbs/ to a static HTML site (no quarto needed).

The real site is built by quarto (`nbdev-docs`, see .github/workflows/deploy.yaml), which cannot be installed offline.
This renders the same notebooks the way nbdev processes them for quarto -- `#| hide` cells dropped, directive lines
removed, `#| echo: false` inputs hidden, links to notebooks pointing at their pages -- with nbconvert, adds a navigation
bar, and writes DIR/index.html plus one page per notebook. Math is typeset offline by a local MathJax 2 (Debian's
`libjs-mathjax`, installed with apt-get by `--install` when missing), copied into DIR/_mathjax. Every page carries a tiny
script that, once the page has loaded and its math is typeset, records on <body> its images (and how many failed to
load), its rendered formulas, any raw TeX left in its visible text and any Python warning in its outputs (read by
tools/check_docs.py).

    python tools/preview_docs.py [--out _preview] [--install]
"""
from __future__ import annotations
import argparse, html, json, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')
CHECK_JS = """<script>
// Records on <body>, once the page has loaded and MathJax has typeset it: images and broken images, rendered formulas,
// raw TeX left in the visible text (outside code, scripts and rendered math), and Python warnings in cell outputs.
(function () {
  function rawTex() {
    var skip = /^(SCRIPT|STYLE|PRE|CODE|TEXTAREA|NOSCRIPT)$/, hits = [];
    var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, null);
    for (var n = w.nextNode(); n; n = w.nextNode()) {
      var skipped = false;
      for (var e = n.parentElement; e; e = e.parentElement)
        if (skip.test(e.tagName) || /MathJax|mjx|katex/.test(e.className || '')) { skipped = true; break; }
      if (skipped) continue;
      var m = n.nodeValue.match(/\\\\[a-zA-Z]+|\\$[^$\\s][^$]*\\$/g);
      if (m) hits = hits.concat(m);
    }
    return hits;
  }
  function report() {
    var imgs = Array.prototype.slice.call(document.images);
    var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); });
    var b = document.body, raw = rawTex();
    var warns = Array.prototype.filter.call(document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]'),
                                            function (e) { return /Warning/.test(e.textContent); });
    b.setAttribute('data-math', document.querySelectorAll('.MathJax_CHTML, .MathJax, mjx-container, .katex').length);
    b.setAttribute('data-raw-tex', raw.length);
    b.setAttribute('data-raw-tex-sample', raw.slice(0, 8).join(' ').replace(/"/g, "'"));
    b.setAttribute('data-warnings', warns.length);
    b.setAttribute('data-warnings-sample', warns.map(function (e) { return e.textContent.slice(0, 120); }).join(' | ').replace(/"/g, "'"));
    b.setAttribute('data-broken-images', broken.length);
    b.setAttribute('data-broken-srcs', broken.map(function (i) { return i.src.slice(0, 120); }).join(' '));
    b.setAttribute('data-images', imgs.length);                 // written last: its presence means the report is complete
  }
  window.addEventListener('load', function () {
    if (window.MathJax && window.MathJax.Hub) window.MathJax.Hub.Queue(report); else report();
  });
})();
</script>"""


MATHJAX_DIRS = [Path('/usr/share/javascript/mathjax'), Path('/usr/share/nodejs/mathjax-full/es5'), Path('/usr/share/mathjax')]
MATHJAX_CONFIG = 'TeX-AMS_CHTML-full'
# the parts of MathJax 2 that the TeX input and CommonHTML output need (the rest, e.g. unpacked sources, is 25 MB more)
MATHJAX_PARTS = ['MathJax.js', f'config/{MATHJAX_CONFIG}.js', 'config/Safe.js', 'extensions', 'jax/input/TeX', 'jax/element',
                 'jax/output/CommonHTML', 'localization/en', 'fonts/HTML-CSS/TeX/woff', 'fonts/HTML-CSS/TeX/otf']


def find_mathjax(install: bool = False) -> Path:
    "The folder of a local MathJax 2 (Debian's libjs-mathjax); with `install`, apt-get installs it when missing"
    for d in MATHJAX_DIRS:
        if (d / 'MathJax.js').exists() and (d / 'config' / f'{MATHJAX_CONFIG}.js').exists(): return d
    if not install: raise SystemExit("preview_docs: no local MathJax 2 found (Debian: apt-get install libjs-mathjax); rerun with --install")
    sudo = [] if os.geteuid() == 0 else ['sudo']
    env = os.environ | {'DEBIAN_FRONTEND': 'noninteractive'}
    subprocess.run(sudo + ['apt-get', 'update', '-qq'], check=False, env=env)
    subprocess.run(sudo + ['apt-get', 'install', '-y', '-qq', 'libjs-mathjax'], check=True, env=env)
    return find_mathjax(False)


def copy_mathjax(src: Path, dest: Path) -> None:
    for part in MATHJAX_PARTS:
        s, d = src / part, dest / part
        if s.is_dir(): shutil.copytree(s, d, dirs_exist_ok=True)
        elif s.exists(): d.parent.mkdir(parents=True, exist_ok=True); shutil.copyfile(s, d)


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


def build(out: Path, mathjax: Path) -> list[Path]:
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
        copy_mathjax(mathjax, tmp / '_mathjax')
        for href, nb in nbs:
            exporter.mathjax_url = '../' * href.count('/') + f'_mathjax/MathJax.js?config={MATHJAX_CONFIG},Safe'
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
    ap.add_argument('--install', action='store_true', help='apt-get install libjs-mathjax if no local MathJax is found')
    a = ap.parse_args(argv)
    out = Path(a.out).resolve(); out.parent.mkdir(parents=True, exist_ok=True)
    written = build(out, find_mathjax(a.install))
    print(f"docs preview: {len(written)} pages in {out} (open {out / 'index.html'})")
    return 0


if __name__ == '__main__': sys.exit(main())
