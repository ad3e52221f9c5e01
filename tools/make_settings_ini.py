#!/usr/bin/env python
"""Write settings.ini (nbdev 2's settings file) from pyproject.toml, the one source of truth.

nbdev v3 reads `[project]` and `[tool.nbdev]` in pyproject.toml and ignores settings.ini; nbdev 2.4 reads only
settings.ini. This derives every setting the way nbdev v3 does (lib_name from the project name, doc_host/doc_baseurl
from the Documentation URL, user/repo from the Repository URL, ...) and writes it in nbdev 2's format, so both
`nbdev_export` (2.4) and `nbdev-export` (3) produce the same files. `--check` exits 1 when settings.ini differs.

    python tools/make_settings_ini.py [--check]
"""
from __future__ import annotations
import re, sys, tomllib
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("# Generated from pyproject.toml by tools/make_settings_ini.py for nbdev 2 users; edit pyproject.toml, not this file.\n"
          "# nbdev v3 reads pyproject.toml and ignores this file.\n")


def version_of(lib_path: Path) -> str:
    m = re.search(r'^__version__\s*=\s*[\'"]([^\'"]+)[\'"]', (lib_path / '__init__.py').read_text(), re.M)
    if not m: raise SystemExit(f"no __version__ in {lib_path / '__init__.py'}")
    return m.group(1)


def settings(pyproject: Path = ROOT / 'pyproject.toml') -> dict[str, str]:
    "nbdev 2's settings, derived from pyproject.toml as nbdev v3 derives its own"
    d = tomllib.loads(pyproject.read_text())
    proj, nb = d['project'], d.get('tool', {}).get('nbdev', {})
    git_url = proj['urls']['Repository'].rstrip('/')
    user, repo = urlparse(git_url).path.strip('/').split('/')[:2]
    doc = urlparse(proj['urls'].get('Documentation', ''))        # nbdev v3: no Documentation URL, no doc_host
    lib_path = nb.get('lib_path', proj['name'].replace('-', '_'))
    deps = lambda xs: ' '.join(x.replace(' ', '') for x in xs)
    s = dict(repo=repo, lib_name=proj['name'], version=version_of(ROOT / lib_path),
             min_python=proj['requires-python'].lstrip('>='), license='apache2', black_formatting='False',
             doc_path=nb.get('doc_path', '_docs'), lib_path=lib_path, nbs_path=nb.get('nbs_path', 'nbs'), recursive='True',
             tst_flags=nb.get('tst_flags', 'notest'), put_version_in_init='True', update_pyproject='False', branch='main',
             custom_sidebar='False', doc_host=f'{doc.scheme}://{doc.netloc}' if doc.scheme else '', doc_baseurl=doc.path.rstrip('/') or '/',
             git_url=git_url, title=nb.get('title', proj['name']), audience='Science/Research',
             author=proj['authors'][0]['name'], author_email=proj['authors'][0].get('email', ''),
             copyright=f"onwards, {proj['authors'][0]['name']}", description=proj['description'],
             keywords=' '.join(proj.get('keywords', [])), language='English', status='3', user=user,
             requirements=deps(proj['dependencies']), dev_requirements=deps(proj['optional-dependencies']['dev']),
             console_scripts=' '.join(f'{k}={v}' for k, v in proj.get('scripts', {}).items()),
             readme_nb='index.ipynb', allowed_metadata_keys='', allowed_cell_metadata_keys='',
             jupyter_hooks=str(nb.get('jupyter_hooks', False)), clean_ids='True', clear_all='False',
             cell_timeout=str(nb.get('cell_timeout', 600)), skip_procs='')
    if proj['license'] != 'Apache-2.0': raise SystemExit(f"map license {proj['license']!r} to nbdev 2's license names here")
    return s


def render(s: dict[str, str]) -> str:
    return HEADER + '[DEFAULT]\n' + ''.join(f'{k} = {v}\n' for k, v in s.items())


def main(argv: list[str]) -> int:
    txt, f = render(settings()), ROOT / 'settings.ini'
    if '--check' in argv:
        if not f.exists() or f.read_text() != txt:
            print('settings.ini is out of date with pyproject.toml: run `python tools/make_settings_ini.py`'); return 1
        print('settings.ini matches pyproject.toml'); return 0
    f.write_text(txt); print(f'wrote {f}'); return 0


if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
