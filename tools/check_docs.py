"""Open pages of the docs preview in headless Chromium and check they render.

For each page: load it (file://), let its scripts run, read back from the DOM what the script tools/preview_docs.py puts
on every page recorded -- images and how many failed to load, formulas MathJax rendered, raw TeX left in the visible
text, Python warnings in cell outputs, show_doc entries -- and take a screenshot that must not be blank. A page fails on a broken image,
on raw TeX, on a warning, with fewer images / formulas than asked, or when its API reference renders fewer or more
show_doc entries than the notebook documents (pages.json). Each page's site navigation is checked too (no
browser needed): its sidebar lists every page of the preview once, in the groups pages.json records, marks the page
itself, every link in its text to another page of the site resolves, and every sidebar link resolves to a page that exists; every table-of-contents link points at a heading of the
page. `--all` checks every page of the preview (those named get their minimums, the others none). Fails (exit 1)
naming each page and what is wrong. Chromium is Debian's `chromium` package; with --install it is installed with
apt-get when missing.

    python tools/check_docs.py _preview index.html sampling.html [--min-images 1 0] [--min-math 0 10] [--all] [--install]
"""
from __future__ import annotations
import argparse, json, os, posixpath, re, shutil, subprocess, sys, tempfile
from pathlib import Path

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio']


def find_chromium(install: bool = False) -> str:
    for name in ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'):
        p = shutil.which(name)
        if p: return p
    if not install: raise SystemExit("check_docs: Chromium not found (Debian: apt-get install chromium); rerun with --install to install it")
    sudo = [] if os.geteuid() == 0 else ['sudo']
    env = os.environ | {'DEBIAN_FRONTEND': 'noninteractive'}
    subprocess.run(sudo + ['apt-get', 'update', '-qq'], check=False, env=env)
    subprocess.run(sudo + ['apt-get', 'install', '-y', '-qq', 'chromium'], check=True, env=env)
    return find_chromium(False)


def run_chromium(exe: str, args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix='chromium-') as prof:
        return subprocess.run([exe, *FLAGS, f'--user-data-dir={prof}', *args], capture_output=True, text=True, timeout=timeout)


def page_state(exe: str, url: str) -> dict:
    "The data-* attributes the page's check script set on <body> after load"
    r = run_chromium(exe, ['--virtual-time-budget=10000', '--run-all-compositor-stages-before-draw', '--dump-dom', url])
    m = re.search(r'<body([^>]*)>', r.stdout)
    if not m: raise AssertionError(f"{url}: Chromium returned no page (rc {r.returncode}): {r.stderr[-500:]}")
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', m.group(1)))
    if 'images' not in attrs: raise AssertionError(f"{url}: the page's load script did not run (no data-images on <body>)")
    return attrs


def blank_stats(png: Path) -> tuple[float, int]:
    "(share of pixels that are not background, number of distinct colours) of a screenshot"
    import numpy as np
    from PIL import Image
    im = Image.open(png).convert('RGB')
    px = np.asarray(im.resize((im.width // 4, im.height // 4))).reshape(-1, 3)
    colours, counts = np.unique(px, axis=0, return_counts=True)
    return 1 - counts.max() / len(px), len(colours)


def site_links(root: Path, page: str) -> str:
    "Check the page's sidebar against pages.json and that its sidebar and table-of-contents links resolve"
    html_ = (root / page).read_text(encoding='utf-8')
    meta = json.loads((root / 'pages.json').read_text())
    side = re.search(r'<nav class="gd-sidebar"[^>]*>(.*?)</nav>', html_, re.S)
    if not side: raise AssertionError(f"{page}: no sidebar")
    at = lambda h: posixpath.normpath(posixpath.join(posixpath.dirname(page), h))    # a link, relative to the root
    home = re.findall(r'<a class="gd-site" href="([^"]+)"', side.group(1))
    listed = [at(h) for h in re.findall(r'<a href="([^"]+)"', side.group(1))]
    if listed != [h for _, hs in meta['groups'] for h in hs]:
        want = [h for _, hs in meta['groups'] for h in hs]
        raise AssertionError(f"{page}: the sidebar is not pages.json's groups: {len(listed)} links against {len(want)}, "
                             f"first difference {next(((a, b) for a, b in zip(listed + [None] * 99, want + [None] * 99) if a != b), None)}")
    if sorted(listed) != sorted(meta['pages']): raise AssertionError(f"{page}: the sidebar does not list every page once")
    missing = [h for h in listed + [at(h) for h in home] if not (root / h).is_file()]
    if missing: raise AssertionError(f"{page}: sidebar links to missing pages: {missing}")
    cur = re.findall(r'<a href="([^"]+)" class="current"', side.group(1))
    if [at(h) for h in cur] != [page]:
        raise AssertionError(f"{page}: the sidebar marks {cur} as the current page")
    toc = re.search(r'<nav class="gd-toc"[^>]*>(.*?)</nav>', html_, re.S)
    anchors = re.findall(r'<a href="#([^"]+)"', toc.group(1)) if toc else []
    ids = set(re.findall(r'\bid="([^"]+)"', html_))
    bad = [a for a in anchors if a not in ids]
    if bad: raise AssertionError(f"{page}: table-of-contents links without a heading: {bad}")
    body = re.sub(r'<nav class="gd-(sidebar|toc)".*?</nav>', '', html_, flags=re.S)
    local = [h.split('#')[0] for h in re.findall(r'<a [^>]*href="([^"]+)"', body)
             if not re.match(r'[a-z][a-z0-9+.-]*:|#', h) and h.split('#')[0]]
    dead = sorted({h for h in local if not (root / at(h)).exists()})
    if dead: raise AssertionError(f"{page}: links to pages that are not in the site: {dead}")
    return f"{len(listed)} sidebar links resolve, {len(anchors)} contents links, {len(local)} links in the text resolve"


def check_page(exe: str, root: Path, page: str, min_images: int, shots: Path, min_math: int = 0) -> str:
    f = (root / page).resolve()
    if not f.exists(): raise AssertionError(f"{page}: no such page in {root}")
    url = f.as_uri()
    st = page_state(exe, url)
    n, broken = int(st['images']), int(st['broken-images'])
    n_tags = len(re.findall(r'<img\b', f.read_text(encoding='utf-8')))
    if broken: raise AssertionError(f"{page}: {broken} of {n} images failed to load: {st.get('broken-srcs', '')}")
    if n < min_images: raise AssertionError(f"{page}: {n} images rendered, expected at least {min_images}")
    if n < n_tags: raise AssertionError(f"{page}: the HTML has {n_tags} <img> tags but only {n} are in the rendered page")
    math, raw, warns = int(st['math']), int(st['raw-tex']), int(st['warnings'])
    if raw: raise AssertionError(f"{page}: {raw} pieces of raw TeX in the visible text (math not rendered?): {st.get('raw-tex-sample', '')}")
    if math < min_math: raise AssertionError(f"{page}: {math} formulas rendered, expected at least {min_math}")
    if warns: raise AssertionError(f"{page}: {warns} Python warnings in cell outputs: {st.get('warnings-sample', '')}")
    shot = shots / (page.replace('/', '_') + '.png')
    r = run_chromium(exe, ['--window-size=1280,2000', f'--screenshot={shot}', url])
    if not shot.exists(): raise AssertionError(f"{page}: no screenshot (rc {r.returncode}): {r.stderr[-500:]}")
    ink, colours = blank_stats(shot)
    if ink < 0.01 or colours < 8: raise AssertionError(f"{page}: the screenshot is blank ({ink:.1%} non-background pixels, {colours} colours)")
    want_sd = json.loads((root / 'pages.json').read_text()).get('showdoc', {}).get(page, 0)
    sd, sd_params = int(st.get('showdoc', 0)), int(st.get('showdoc-params', 0))
    if sd != want_sd: raise AssertionError(f"{page}: {sd} show_doc entries rendered, the notebook documents {want_sd}")
    nav = site_links(root, page)
    api = f"; {sd} show_doc entries, {sd_params} with their parameters documented" if sd else ''
    return (f"{page}: ok ({n} images, none broken; {math} formulas, no raw TeX, no warnings{api}; {nav}; "
            f"screenshot {ink:.0%} ink, {colours} colours)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('root', help='the preview folder (tools/preview_docs.py --out)')
    ap.add_argument('pages', nargs='*', help='pages to check, relative to root')
    ap.add_argument('--all', action='store_true', help="also check every other page of the preview (its pages.json)")
    ap.add_argument('--min-images', type=int, nargs='*', default=None, help='least number of images per page (default 0 each)')
    ap.add_argument('--min-math', type=int, nargs='*', default=None, help='least number of rendered formulas per page (default 0 each)')
    ap.add_argument('--install', action='store_true', help='apt-get install chromium if it is missing')
    ap.add_argument('--shots', default=None, help='keep the screenshots in this folder')
    a = ap.parse_args(argv)
    mins = a.min_images or [0] * len(a.pages)
    maths = a.min_math or [0] * len(a.pages)
    for nm, v in (('--min-images', mins), ('--min-math', maths)):
        if len(v) != len(a.pages): ap.error(f"{nm} needs one number per page ({len(a.pages)}), got {len(v)}")
    if not a.pages and not a.all: ap.error("name pages to check, or --all")
    extra = [p for p in json.loads((Path(a.root) / 'pages.json').read_text())['pages'] if p not in a.pages] if a.all else []
    a.pages, mins, maths = a.pages + extra, mins + [0] * len(extra), maths + [0] * len(extra)
    exe = find_chromium(a.install)
    shots = Path(a.shots) if a.shots else Path(tempfile.mkdtemp(prefix='docs-shots-'))
    shots.mkdir(parents=True, exist_ok=True)
    failed = 0
    for page, m, mm in zip(a.pages, mins, maths):
        try: print(check_page(exe, Path(a.root), page, m, shots, mm))
        except (AssertionError, subprocess.TimeoutExpired) as e: print(f"FAIL {e}", file=sys.stderr); failed += 1
    print(f"docs check: {len(a.pages) - failed} of {len(a.pages)} pages ok" + (f", {failed} failed" if failed else ""))
    return 1 if failed else 0


if __name__ == '__main__': sys.exit(main())
