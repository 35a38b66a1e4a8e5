"""GX Data Docs that render styled offline.

GX writes its pages to load Bootstrap, jQuery, Font Awesome, bootstrap-table and Vega
from CDNs, and its logo from S3: offline they show unstyled, and the index page's
tables (drawn by bootstrap-table from JavaScript data) stay empty. After each build,
`make_offline` copies `expectations/static/` (the same libraries, from PyPI packages;
see its LICENSES.md) into the site and points every page at those copies by a
relative path; what the pages do not need offline (the dark theme, date pickers,
table filters, Vega, which no page of these suites draws with) is dropped. The pages
are GX's own output, so the known tags are rewritten as text."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = "static/vendor"  # inside the site

# CDN address -> the copy in expectations/static that stands for it
_LOCAL = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "bootstrap/popper.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table-offline.js",
}
_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="(https?://[^"]+)"[^>]*>\s*</script>')
_LINK = re.compile(r'<link\b[^>]*\bhref="(https?://[^"]+)"[^>]*>')
_LOGO = re.compile(r'src="https://great-expectations-web-assets\.[^"]*/(logo-long\.png)\?[^"]*"')


def _page(html: str, root: str) -> str:
    def script(m: re.Match) -> str:
        local = _LOCAL.get(m.group(1))
        return f'<script src="{root}{VENDOR}/{local}"></script>' if local else ""

    def link(m: re.Match) -> str:
        tag = m.group(0)
        if "stylesheet" not in tag:
            return tag  # an icon or a page link, not something the page loads
        local = _LOCAL.get(m.group(1))
        return f'<link rel="stylesheet" href="{root}{VENDOR}/{local}">' if local else ""

    html = _SCRIPT.sub(script, html)
    html = _LINK.sub(link, html)
    return _LOGO.sub(lambda m: f'src="{root}static/images/{m.group(1)}"', html)


def external_assets(html: str) -> list[str]:
    """What a page would still fetch from the web: scripts, stylesheets and images."""
    found = [m.group(1) for m in _SCRIPT.finditer(html)]
    found += [m.group(1) for m in _LINK.finditer(html) if "stylesheet" in m.group(0)]
    found += re.findall(r'<img\b[^>]*\bsrc="(https?://[^"]+)"', html)
    return found


def make_offline(site: Path) -> int:
    """Point every page of the Data Docs site at local copies of what it loads; returns
    the number of pages rewritten."""
    shutil.copytree(STATIC, site / VENDOR, dirs_exist_ok=True)
    done = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "://" not in html:
            continue
        root = os.path.relpath(site, page.parent).replace(os.sep, "/") + "/"
        new = _page(html, "" if root == "./" else root)
        if new != html:
            page.write_text(new, encoding="utf-8")
            done += 1
    return done
