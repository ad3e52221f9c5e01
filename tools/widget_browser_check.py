#!/usr/bin/env python
"""The interactive sampler in a real browser: start JupyterLab on 127.0.0.1, open a notebook that shows `GuidedSampler` on
the Gaussian toy in headless Chromium, run it, pick a class, click Sample, and check that the samples picture appears and
changes with the class. Writes a screenshot of the panel (the picture on the widget's docs page).

    python tools/widget_browser_check.py [--screenshot nbs/images/widget_panel.png] [--chromium PATH] [--install]

Needs jupyterlab and playwright (pip) and a Chromium (Debian's `chromium`); exit 1 naming what failed."""
import argparse, json, os, secrets, socket, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

HANG_GUARD = int(os.environ.get('WIDGET_CHECK_GUARD', 600))   # seconds: a guard against a hung server or page only, never a speed limit

NOTEBOOK = '''import torch
from guided_diffusion_nb.schedules import NoiseSchedule
from guided_diffusion_nb.testing import GaussianToy
from guided_diffusion_nb.widget import GuidedSampler
sched = NoiseSchedule.cosine(100)
mu = torch.stack([torch.linspace(-0.9, 0.9, 8).view(1, 1, 8).expand(1, 8, 8) * s for s in (-1.0, 0.0, 1.0)])
toy = GaussianToy(mu, 0.05, sched)      # three classes: a dark-to-light ramp, flat grey, the ramp reversed
gs = GuidedSampler(toy, sched, classifier=toy.classifier, shape=(1, 8, 8), vocab=['ramp', 'grey', 'reversed'], n=8, scale=6)
gs'''

def fail(msg): print(f"widget browser check: {msg}", file=sys.stderr); sys.exit(1)

def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def start_lab(root: Path, port: int, token: str) -> subprocess.Popen:
    env = os.environ | dict(JUPYTER_CONFIG_DIR=str(root / '.jupyter'), IPYTHONDIR=str(root / '.ipython'),
                            JUPYTER_RUNTIME_DIR=str(root / '.runtime'), MPLBACKEND='Agg')
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--ServerApp.ip=127.0.0.1', f'--ServerApp.port={port}',
           f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={root}', '--LabApp.news_url=',
           '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate', '--ServerApp.allow_root=True',
           '--LabApp.extension_manager=readonly']
    p = subprocess.Popen(cmd, env=env, stdout=open(root / 'lab.log', 'w'), stderr=subprocess.STDOUT)
    t0 = time.time()
    while time.time() - t0 < HANG_GUARD:
        if p.poll() is not None: fail(f"JupyterLab exited: {(root / 'lab.log').read_text()[-1500:]}")
        try: urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status?token={token}', timeout=2); return p
        except OSError: time.sleep(0.5)
    fail("JupyterLab did not answer")

def write_notebook(root: Path):
    nb = dict(nbformat=4, nbformat_minor=5, metadata=dict(kernelspec=dict(name='python3', display_name='Python 3', language='python')),
              cells=[dict(cell_type='code', id='panel', metadata={}, execution_count=None, outputs=[], source=NOTEBOOK)])
    (root / 'panel.ipynb').write_text(json.dumps(nb))

def drive(url: str, chromium: str, shot: Path | None):
    from playwright.sync_api import sync_playwright
    args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync']
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, headless=True, args=args)
        page = b.new_page(viewport=dict(width=1100, height=900)); page.set_default_timeout(HANG_GUARD * 1000)
        try: return _drive(page, url, shot)
        except Exception:
            page.screenshot(path=str(Path(tempfile.gettempdir()) / 'widget_check_failed.png')); raise
        finally: b.close()

def run_cell(page):
    "Run the notebook's cell until its output, the panel, shows: an execute request sent before the kernel was ready is lost"
    prompt, t0 = page.locator('.jp-Notebook .jp-Cell').first.locator('.jp-InputPrompt'), time.time()
    while time.time() - t0 < HANG_GUARD:
        if prompt.inner_text().strip() in ('[ ]:', ''):
            page.locator('.jp-Notebook .jp-Cell').first.locator('.jp-InputArea-editor').click(); page.keyboard.press('Control+Enter')
        try: return page.wait_for_selector('.jupyter-widgets.widget-vbox', timeout=10_000)
        except Exception: pass                                         # not yet: look at the prompt again
    fail("the notebook's cell never showed the panel")

def _drive(page, url, shot):
        page.goto(url); page.wait_for_selector('.jp-Notebook .jp-Cell')
        page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')   # the kernel is up
        panel = run_cell(page)
        button = page.wait_for_selector('button.jupyter-button:has-text("Sample")')
        grid = panel.query_selector_all('img')[0]
        if grid.evaluate('(img) => img.naturalHeight') > 0: fail("the samples picture is there before Sample was clicked")
        pics = {}
        for label in ('reversed', 'ramp'):
            page.select_option('.widget-dropdown select', label=label)
            button.click()
            page.wait_for_function('(img) => img.naturalHeight > 0 && img.getAttribute("data-drawn") !== img.src',
                                   arg=grid, polling=200)
            grid.evaluate('(img) => img.setAttribute("data-drawn", img.src)')
            page.wait_for_function('() => ![...document.querySelectorAll(".widget-label")].some(l => l.textContent.includes("sampling"))')
            pics[label] = grid.screenshot()
        if pics['reversed'] == pics['ramp']: fail("Sample drew the same picture for two classes")
        if shot is not None: shot.parent.mkdir(parents=True, exist_ok=True); panel.screenshot(path=str(shot))
        return pics

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--screenshot', type=Path, default=None, help='write a PNG of the panel here')
    ap.add_argument('--chromium', default=None, help="Chromium's path (default: found on PATH, as tools/check_docs.py finds it)")
    ap.add_argument('--install', action='store_true', help='apt-get install chromium if it is missing')
    a = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from check_docs import find_chromium
    a.chromium = a.chromium or find_chromium(a.install)
    if not Path(a.chromium).exists(): fail(f"no Chromium at {a.chromium}: install Debian's chromium or give --chromium")
    root, port, token = Path(tempfile.mkdtemp()), free_port(), secrets.token_hex(16)
    write_notebook(root); lab = start_lab(root, port, token)
    try: pics = drive(f'http://127.0.0.1:{port}/lab/tree/panel.ipynb?token={token}', a.chromium, a.screenshot)
    finally: lab.terminate(); lab.wait(timeout=60)
    print(f"widget browser check: the panel rendered, Sample drew {len(pics)} different pictures"
          + (f"; screenshot {a.screenshot}" if a.screenshot else ''))

if __name__ == '__main__': main()
