"""The built site reads well: its links resolve, and pages fit a desktop and a phone screen.

The site is built once for this module, with ``mkdocs build --strict``: the one build
``make test`` runs (``make docs`` builds the site for reading). The plain checks read the
built HTML: every internal link reaches a page that exists and an anchor that page has, and
the catalog page has one anchor per error code. The browser check renders the home, guide,
catalog and reference pages in headless Chromium at 1280 and 390 pixels wide and fails when
the page body or a table is wider than the screen, or when inline code in a table cell or a
heading breaks mid-word. It runs where Chromium is installed at ``/usr/bin/chromium``
(``make test`` installs it when it can) and is skipped, with the reason, elsewhere. Set
``ERRORKIT_SCREENSHOTS`` to a folder to keep a screenshot of each page's first screen there.
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

import errorkit
from errorkit import _cli

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# The flags Chromium needs to start quickly and quietly on a machine without network access.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "",
    "guide": "guide/",
    "catalog": "codes/",
    "reference": "reference/exceptions/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
TIMEOUT_MS = 15_000  # the longest any one browser step may take


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site strictly, once for this module, and return its folder."""
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return folder


def test_docs_build_strictly(site: Path) -> None:
    """``mkdocs build --strict`` succeeds: no broken link, anchor, reference or missing page."""
    assert (site / "codes" / "index.html").is_file()
    assert (site / "reference" / "exceptions" / "index.html").is_file()


def test_pages_name_the_version_and_link_the_repository(site: Path) -> None:
    """Each page names the errorkit version, links to the repository and to the next page."""
    text = (site / "index.html").read_text(encoding="utf-8")
    assert f"errorkit {errorkit.__version__}" in text
    assert 'href="https://github.com/errorkit/errorkit"' in text
    assert 'aria-label="Next: Handling errors"' in text


# ---------------------------------------------------------------------------------------------
# Links and anchors in the built HTML
# ---------------------------------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    """Collect the ids (and ``<a name>``) a page defines and the links of its content."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))


@functools.cache
def _read(path: Path) -> _Page:
    """Parse one built page."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and anchor an internal link points at; None for an external link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    base = site if parts.path.startswith("/") else page.parent  # 404.html links from the root
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_link_targets_are_read() -> None:
    """A link is resolved against its page: folders mean their index, fragments are anchors."""
    site = Path("/site")
    page = site / "guide" / "index.html"
    assert _target(site, page, "../codes/#RATE_LIMITED") == (
        site / "codes" / "index.html",
        "RATE_LIMITED",
    )
    assert _target(site, page, "#the-tree") == (page, "the-tree")
    assert _target(site, page, "/codes/") == (site / "codes" / "index.html", "")
    assert _target(site, page, "https://example.com/") is None


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    """Every link between pages of the built site reaches a file, and the anchor it names."""
    broken = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        for href in _read(page).links:
            found = _target(site, page, href)
            if found is None:
                continue
            target, anchor = found
            where = f"{page.relative_to(site)}: {href}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif anchor and target.suffix == ".html" and anchor not in _read(target).ids:
                broken.append(f"{where} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_every_code_has_an_anchor_on_the_catalog_page(site: Path) -> None:
    """Each error code is an anchor of the catalog page: ``codes/#RATE_LIMITED`` works."""
    ids = _read(site / "codes" / "index.html").ids
    codes = [entry["code"] for entry in _cli.catalog()]
    assert "RATE_LIMITED" in codes
    missing = [code for code in codes if code not in ids]
    assert not missing, f"codes without an anchor on the catalog page: {missing}"


# ---------------------------------------------------------------------------------------------
# The browser check
# ---------------------------------------------------------------------------------------------

# Measures one rendered page; returns a list of problems, empty when the page fits.
_MEASURE = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`page body ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  for (const table of document.querySelectorAll(".md-content table")) {
    // Material wraps each table in a box that scrolls sideways when the table is too wide.
    const box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) {
      const head = table.querySelector("th, td");
      problems.push(`table "${head ? head.textContent.trim() : ""}" ${box.scrollWidth}px ` +
                    `wide in ${box.clientWidth}px`);
    }
  }
  const word = /\\w/;
  const cells = ".md-content td code, .md-content th code, .md-content h1 code, " +
                ".md-content h2 code, .md-content h3 code, .md-content h4 code";
  for (const code of document.querySelectorAll(cells)) {
    if (code.closest("pre")) continue;
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let previous = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        const char = node.data[i];
        if (rect.height === 0) continue;
        if (previous && rect.top > previous.top + rect.height / 2 &&
            word.test(previous.char) && word.test(char)) {
          problems.push(`code "${code.textContent}" broken mid-word before "${char}"`);
        }
        previous = {top: rect.top, char};
      }
    }
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """Serve the built site from 127.0.0.1 and return its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging each request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, driven by Playwright; the test is skipped where it is missing."""
    if not CHROMIUM.is_file():
        reason = f"no Chromium at {CHROMIUM}: install it with `apt-get install chromium`"
        print(f"\nskipping the browser check: {reason}")
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _local_only(route: Any) -> None:
    """Let requests to the local server through and abort any other."""
    if urlsplit(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_pages_fit_the_screen(browser: Any, served: str, width: str) -> None:
    """The four pages overflow neither window nor table, and break no code cell mid-word."""
    pixels, height = WIDTHS[width]
    context = browser.new_context(viewport={"width": pixels, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", _local_only)
    shots = os.environ.get("ERRORKIT_SCREENSHOTS")
    problems = []
    try:
        page = context.new_page()
        for name, path in PAGES.items():
            page.goto(served + path, wait_until="load", timeout=TIMEOUT_MS)
            assert page.locator("article h1").count() == 1, f"{name} did not render"
            problems += [f"{name} at {pixels}px: {p}" for p in page.evaluate(_MEASURE)]
            if shots:
                page.screenshot(path=str(Path(shots) / f"{name}-{pixels}.png"))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# A page with each fault the check looks for: a body wider than the window, a table wider than
# its box, and a name in a table cell broken mid-word.
_FAULTY_PAGE = """<!doctype html><html><body><div class="md-content">
<div style="width: 2000px">wide</div>
<div class="md-typeset__scrollwrap" style="width: 300px; overflow-x: auto">
  <table style="width: 900px"><tr><td>a wide table</td></tr></table>
</div>
<table><tr><td style="width: 60px; max-width: 60px">
  <code style="word-break: break-all">RateLimitError</code>
</td></tr></table>
</div></body></html>"""


def test_the_check_finds_each_fault(browser: Any) -> None:
    """The measurement reports an overflowing body, an overflowing table and broken code."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.set_content(_FAULTY_PAGE, timeout=TIMEOUT_MS)
        problems = page.evaluate(_MEASURE)
    finally:
        context.close()
    assert any(p.startswith("page body") for p in problems), problems
    assert any(p.startswith('table "a wide table"') for p in problems), problems
    assert any(p.startswith('code "RateLimitError" broken mid-word') for p in problems), problems
