"""Offline docs preview: render the notebooks in nbs/ to a static HTML site (no quarto needed).

The real site is built by quarto (`nbdev-docs`, see .github/workflows/deploy.yaml), which cannot be installed offline.
This renders the same notebooks the way nbdev processes them for quarto -- `#| hide` cells dropped, directive lines
removed, `#| echo: false` inputs hidden, links to notebooks pointing at their pages, pages named as nbdev names them
(`02_schedules.ipynb` -> `schedules.html`) -- with nbconvert, and makes a site of them: a sidebar grouped into Tutorials,
Library and App (derived from the files: `tutorials/` notebooks, and each module notebook by its `default_exp`, in
notebook order), a table of contents per page, and the docs site's and the repository's own absolute URLs pointed at the
local pages and pictures. Writes DIR/index.html plus one page per notebook, and DIR/pages.json (the pages, and the
sidebar's groups). Math is typeset offline by a local MathJax 2 (Debian's
`libjs-mathjax`, installed with apt-get by `--install` when missing), copied into DIR/_mathjax. Every page carries a tiny
script that, once the page has loaded and its math is typeset, records on <body> its images (and how many failed to
load), its rendered formulas, any raw TeX left in its visible text, any Python warning in its outputs and its show_doc entries
(read by tools/check_docs.py).

    python tools/preview_docs.py [--out _preview] [--install]
"""
from __future__ import annotations
import argparse, html, json, os, re, shutil, subprocess, sys, tempfile, warnings
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')
CHECK_JS = """<script>
// Records on <body>, once the page has loaded and MathJax has typeset it: images and broken images, rendered formulas,
// raw TeX left in the visible text (outside code, scripts and rendered math), Python warnings in cell outputs, and the
// API reference's show_doc entries (and how many document their parameters).
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
    var sd = Array.prototype.slice.call(document.querySelectorAll('.gd-showdoc'));
    b.setAttribute('data-showdoc', sd.length);
    b.setAttribute('data-showdoc-params', sd.filter(function (e) {   // parameters documented: a table, or docments in the signature
      var c = e.closest('.jp-Cell') || e.parentElement;
      return c && (c.querySelector('table') || Array.prototype.some.call(c.querySelectorAll('pre'), function (p) { return / # /.test(p.textContent); }));
    }).length);
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
            c.source = re.sub(r'\]\(([^()\s]+\.ipynb)(#[^)]*)?\)', lambda m: f']({page_href(m.group(1))}{m.group(2) or ""})',
                              c.source)                                  # markdown links [text](x.ipynb#anchor)
        cells.append(c)
    nb.cells = cells


SHOW_DIRS = {'export', 'exports', 'exporti', 'exec_doc'}     # cells nbdev-docs runs to document what they define
EXPORTED = {'export', 'exporti'}                             # cells whose source nbdev-docs leaves out of the page


def _only_imports(src: str) -> bool:
    "A cell of imports only: import statements, or `try: import x` / `except ImportError: x = None` blocks"
    import ast
    try: trees = ast.parse(src).body
    except SyntaxError: return False
    imp = lambda t: isinstance(t, (ast.Import, ast.ImportFrom))
    opt = lambda t: (isinstance(t, ast.Try) and all(map(imp, t.body)) and not t.orelse and not t.finalbody
                     and all(isinstance(s, (ast.Assign, ast.Pass)) for h in t.handlers for s in h.body))
    return bool(trees) and all(imp(t) or opt(t) for t in trees)


def _showdoc_md(outs: list) -> str:
    "The markdown of a show_doc output, less quarto's link attributes (`{target=...}`), which nbconvert would print"
    md = next((''.join(o['data']['text/markdown']) for o in outs if 'text/markdown' in o.get('data', {})), '')
    return re.sub(r'\)\{[^}\n]*\}', ')', md)


def api_reference(path: Path) -> tuple[object, int, list[str]]:
    """The notebook with its API reference, as nbdev-docs makes it: nbdev's `add_show_docs` puts a `show_doc` cell after
    each exported definition not documented yet; the notebook's exported cells, import cells and `show_doc` cells are run
    (nothing else), each `show_doc` becomes a markdown cell of its output, and exported source is left out.
    Returns (notebook, number of show_doc entries, the cells nbdev-docs would also run: cells mixing imports with other
    code, which it runs whole and which may fail or train there)."""
    from fastcore.nbio import read_nb
    from nbdev.process import NBProcessor
    from nbdev.processors import add_show_docs, _do_eval
    from execnb.shell import CaptureShell
    nb = read_nb(path)
    NBProcessor(nb=nb, procs=[add_show_docs], rm_directives=False).process()
    k, cells, n_sd, risky = CaptureShell(), [], 0, []
    k.run('from nbdev.showdoc import show_doc')
    for i, c in enumerate(nb.cells):
        if c.cell_type != 'code': cells.append(c); continue
        d = directives(c.source)
        keys = {x.split()[0].rstrip(':') for x in d if x}
        body = '\n'.join(l for l in c.source.splitlines() if not DIRECTIVE.match(l)).strip()
        is_sd = bool(re.match(r'show_doc\(', body))
        if (is_sd or keys & SHOW_DIRS or _only_imports(body)) and not any(x.replace(' ', '') == 'eval:false' for x in d):
            outs = k.run(body)
            if k.exc: raise SystemExit(f"preview_docs: {path.relative_to(NBS)}: cell {i} failed in the API reference run: "
                                       f"{type(k.exc).__name__}: {k.exc}\n{body[:300]}")
            if is_sd:
                md = _showdoc_md(outs)
                if not md: raise SystemExit(f"preview_docs: {path.relative_to(NBS)}: {body} gave no markdown")
                cells.append(dict(cell_type='markdown', metadata={}, id=f'showdoc{n_sd}',
                                  source='<span class="gd-showdoc"></span>\n\n' + md))
                n_sd += 1; continue
        elif body and 'hide' not in keys:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore'); runs = _do_eval(c)
            if runs: risky.append((path.relative_to(NBS).as_posix(), c.get('id') or str(i)))
        if not keys & EXPORTED: cells.append(c)
    nb.cells = cells
    return nb, n_sd, risky


def title_of(nb, fallback: str) -> str:
    for c in nb.cells:
        if c.cell_type == 'markdown':
            m = re.search(r'^#\s+(.+)$', c.source, re.M)
            if m: return m.group(1).strip()
    return fallback


def pages() -> list[Path]:
    "index first, then the other notebooks of nbs/ in notebook order, then those of its folders (tutorials/, ...)"
    top = sorted(p for p in NBS.glob('*.ipynb') if p.name != 'index.ipynb' and not p.name.startswith('_'))
    sub = sorted(p for p in NBS.glob('*/**/*.ipynb') if not any(part.startswith(('_', '.')) for part in p.relative_to(NBS).parts))
    return [NBS / 'index.ipynb', *top, *sub]


def page_href(nb_rel: str) -> str:
    "The page nbdev's quarto site gives notebook `nb_rel` (relative to nbs/): the number prefix dropped, lower case"
    p = Path(nb_rel)
    return p.with_name(re.sub(r'^\d+[a-zA-Z0-9]*_', '', p.name.lower())).with_suffix('.html').as_posix()


# The app's modules (the `gdnb` command around the library); a notebook under nbs/app/ or exporting app.* is App too
APP = ('runfolder', 'pipeline', 'models', 'dryrun', 'job', 'bench', 'timetoquality', 'cli')


def default_exp(nb) -> str | None:
    for c in nb.cells:
        if c.cell_type == 'code':
            m = re.search(r'^\s*#\|\s*default_exp\s+(\S+)', c.source, re.M)
            if m: return m.group(1)
    return None


def group_of(rel: Path, module: str | None) -> str:
    "Where a notebook goes in the sidebar: '' (top: index and pages like benchmarks), Tutorials, Library or App"
    if rel.parts[0] == 'tutorials': return 'Tutorials'
    if rel.parts[0] == 'app' or (module and (module.startswith('app.') or module.split('.')[-1] in APP)): return 'App'
    if module: return 'Library'
    return '' if len(rel.parts) == 1 else rel.parts[0].replace('_', ' ').title()


GROUPS = ('', 'Tutorials', 'Library', 'App')


def sidebar_groups(items: list[dict]) -> list[tuple[str, list[dict]]]:
    "The sidebar: [(group, [page, ...]), ...], groups in GROUPS order then any other folder, pages in notebook order"
    names = list(GROUPS) + sorted({i['group'] for i in items} - set(GROUPS))
    return [(g, [i for i in items if i['group'] == g]) for g in names if any(i['group'] == g for i in items)]


def _project_urls() -> tuple[str, str, str]:
    "(docs site, raw files of nbs/ in the repository, repository) from pyproject.toml's [project.urls]"
    txt = (ROOT / 'pyproject.toml').read_text()
    url = lambda k: (re.search(rf'^{k}\s*=\s*"([^"]+)"', txt, re.M) or [None, ''])[1].rstrip('/')
    repo, docs = url('Repository'), url('Homepage')
    raw = re.sub(r'^https://github\.com/', 'https://raw.githubusercontent.com/', repo) + '/main/nbs' if repo else ''
    return docs, raw, repo


def localise(src: str, up: str, items: list[dict]) -> str:
    "Point the docs site's and the repository's raw-file URLs at this preview's pages and pictures (it is offline)"
    docs, raw, _ = _project_urls()
    if raw: src = src.replace(raw + '/', up)
    if docs: src = re.sub(re.escape(docs) + r'/([^)\s"#]*)', lambda m: up + (m.group(1) or 'index.html'), src)
    return src


def sidebar_html(groups, here: str, title: str) -> str:
    up = '../' * here.count('/')
    def link(i):
        cur = ' class="current" aria-current="page"' if i['href'] == here else ''
        return f'<li><a href="{up}{i["href"]}"{cur}>{html.escape(i["title"])}</a></li>'
    out = [f'<nav class="gd-sidebar" aria-label="site"><a class="gd-site" href="{up}index.html">{html.escape(title)}</a>']
    for g, its in groups:
        out.append((f'<div class="gd-group">{html.escape(g)}</div>' if g else '') + '<ul>' + ''.join(map(link, its)) + '</ul>')
    return ''.join(out) + '</nav>'


def toc_html(body: str) -> str:
    "A table of contents of the page's h2/h3 headings (nbconvert gives each an id)"
    heads = re.findall(r'<h([23])\s+id="([^"]+)"[^>]*>(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h\1>', body, re.S)
    if not heads: return ''
    li = ''.join(f'<li class="gd-h{lvl}"><a href="#{hid}">{re.sub(r"<[^>]+>", "", txt).strip()}</a></li>' for lvl, hid, txt in heads)
    return f'<nav class="gd-toc" aria-label="on this page"><div class="gd-group">On this page</div><ul>{li}</ul></nav>'


SITE_CSS = """<style>
body { margin: 0 240px 0 260px !important; }
.gd-sidebar, .gd-toc { position: fixed; top: 0; bottom: 0; overflow-y: auto; padding: 12px 14px; box-sizing: border-box;
  font: 14px/1.35 system-ui, sans-serif; background: #f7f7f9; }
.gd-sidebar { left: 0; width: 250px; border-right: 1px solid #ddd; }
.gd-toc { right: 0; width: 230px; border-left: 1px solid #ddd; background: #fff; }
.gd-sidebar ul, .gd-toc ul { list-style: none; margin: 0 0 8px; padding: 0; }
.gd-sidebar li a, .gd-toc li a { display: block; padding: 2px 6px; color: #2a5db0; text-decoration: none; border-radius: 3px; }
.gd-sidebar li a:hover, .gd-toc li a:hover { background: #e8eefa; }
.gd-sidebar a.current { font-weight: 600; background: #e3e9f7; color: #111; }
.gd-site { display: block; font-weight: 700; font-size: 16px; color: #111; text-decoration: none; margin-bottom: 8px; }
.gd-group { font-weight: 600; color: #555; text-transform: uppercase; font-size: 12px; margin: 10px 0 3px; letter-spacing: .04em; }
.gd-toc .gd-h3 a { padding-left: 18px; font-size: 13px; }
/* wide content stays within the page: tables and displayed formulas scroll sideways rather than overflow */
.jp-RenderedHTMLCommon table { display: block; max-width: 100%; overflow-x: auto; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { white-space: normal; vertical-align: top; }
.MathJax_Display, .MJXc-display { max-width: 100%; overflow-x: auto; overflow-y: hidden; }
.jp-RenderedHTMLCommon td .MathJax_CHTML, .jp-RenderedHTMLCommon td .mjx-chtml { white-space: nowrap; }
@media (max-width: 1100px) { body { margin-right: 0 !important; } .gd-toc { display: none; } }
</style>"""
# MathJax's own line breaking measures formulas inside table cells before the table is laid out, and breaks short
# formulas onto many lines in an over-wide column; formulas are kept whole and wide ones scroll (SITE_CSS)
MATHJAX_FIX = """<script type="text/x-mathjax-config">
MathJax.Hub.Register.StartupHook("End Config", function () {
  MathJax.Hub.Config({CommonHTML: {linebreaks: {automatic: false}}, "HTML-CSS": {linebreaks: {automatic: false}}});
});
</script>"""


def build(out: Path, mathjax: Path) -> list[Path]:
    exporter = HTMLExporter(template_name='lab')
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    items, nbs = [], []
    risky = []
    for p in pages():
        nb, rel = nbformat.read(p, as_version=4), p.relative_to(NBS)
        module, n_sd = default_exp(nb), 0
        if module:
            api, n_sd, r = api_reference(p); risky += r
            nb = nbformat.from_dict(_plain(api))
        process(nb)
        href = page_href(rel.as_posix())
        if any(i['href'] == href for i in items): raise SystemExit(f"preview_docs: two notebooks would both be {href}")
        items.append(dict(href=href, title=title_of(nb, p.stem), group='' if rel.name == 'index.ipynb' else group_of(rel, module),
                          notebook=rel.as_posix(), showdoc=n_sd))
        nbs.append((href, nb))
    groups, site = sidebar_groups(items), items[0]['title']
    tmp = Path(tempfile.mkdtemp(prefix='preview-', dir=out.parent))
    written = []
    try:
        copy_mathjax(mathjax, tmp / '_mathjax')
        for (href, nb), item in zip(nbs, items):
            up = '../' * href.count('/')
            for c in nb.cells:
                if c.cell_type == 'markdown': c.source = localise(c.source, up, items)
            exporter.mathjax_url = up + f'_mathjax/MathJax.js?config={MATHJAX_CONFIG},Safe'
            body, _ = exporter.from_notebook_node(nb, resources={'metadata': {'name': item['title']}})
            body = body.replace('<script src="' + exporter.mathjax_url, MATHJAX_FIX + '<script src="' + exporter.mathjax_url, 1)
            body = body.replace('</head>', SITE_CSS + '</head>', 1)
            body = body.replace('<body', '<body data-page="' + html.escape(href) + '"', 1)
            side, toc = sidebar_html(groups, href, site), toc_html(body)
            body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + side + toc, body, count=1)
            body = body.replace('</body>', CHECK_JS + '</body>', 1)
            f = tmp / href; f.parent.mkdir(parents=True, exist_ok=True); f.write_text(body, encoding='utf-8')
            written.append(out / href)
        for d in sorted(NBS.glob('**/images')) + sorted(NBS.glob('**/figures')):   # pictures that markdown cells link to
            if d.is_dir(): shutil.copytree(d, tmp / d.relative_to(NBS), dirs_exist_ok=True)
        (tmp / 'pages.json').write_text(json.dumps(dict(pages=[i['href'] for i in items], site=site,
                                                        showdoc={i['href']: i['showdoc'] for i in items},
                                                        groups=[[g, [i['href'] for i in its]] for g, its in groups]), indent=1))
        if out.exists(): shutil.rmtree(out)
        os.replace(tmp, out)                                  # the preview appears whole or not at all
    finally:
        if tmp.exists(): shutil.rmtree(tmp, ignore_errors=True)
    for nbname in dict.fromkeys(n for n, _ in risky):
        idx = [str(i) for n, i in risky if n == nbname]
        print(f"preview_docs: nbdev-docs would also run these cells of {nbname} whole (imports mixed with other code): {' '.join(idx)}",
              file=sys.stderr)
    return written


def _plain(nb) -> dict:
    "fastcore's notebook as a plain dict nbformat reads: nbdev's working attributes (`directives_`, `idx_`, ...) dropped"
    cell = lambda c: {k: v for k, v in dict(c).items() if not k.endswith('_') and k != 'has_sd'} | {'metadata': dict(c.get('metadata', {}))}
    fix = lambda c: c | ({'outputs': [dict(o) for o in c.get('outputs', [])], 'execution_count': c.get('execution_count')}
                         if c['cell_type'] == 'code' else {})
    d = json.loads(json.dumps(dict(nb), default=lambda o: dict(o) if hasattr(o, 'keys') else list(o)))
    d['cells'] = [fix(cell(c)) for c in d['cells']]
    for c in d['cells']:
        c.setdefault('source', '')
        if c['cell_type'] == 'markdown': c.pop('outputs', None); c.pop('execution_count', None)
    d.setdefault('nbformat', 4); d.setdefault('nbformat_minor', 5)
    return d


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
