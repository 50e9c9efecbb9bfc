"""Session fixtures for checking the built site like a user would.

- `site_dir`: the seed content (the fixture copy, sitecheck.CONTENT) built once into a temporary folder.
- `site_url`: a tiny HTTP server on 127.0.0.1 over that folder (missing paths get /404.html).
- `browser`: one headless Chromium (Playwright, /usr/bin/chromium) for the whole session.
Browser tests are marked `@pytest.mark.browser`; they are skipped, with the reason, only when
Chromium or Playwright is missing. `--update-golden` rewrites tests/golden/ (see test_golden.py).
Hypothesis runs under the "qm" profile: no per-example deadline and no too_slow health check, so a
loaded 2-core CI machine cannot fail a property test by being slow (speed lives in benchmarks/).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import sitecheck

# Loaded here, before any test module is imported: @settings(...) on a test inherits from the profile
# that is current when the decorator runs.
settings.register_profile("qm", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("qm")

ROOT = sitecheck.ROOT
CONTENT = sitecheck.CONTENT


def pytest_configure(config) -> None:
    """Keep the build cache (font subsets, QR codes, calendars) out of the real tree during tests."""
    if not os.environ.get("QM_SITE_CACHE"):
        os.environ["QM_SITE_CACHE"] = tempfile.mkdtemp(prefix="qm-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --update-golden."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current build instead of comparing with it")


def build_site(content_dir: Path, out_dir: Path) -> Path:
    """Build a content folder into out_dir with the production build; returns out_dir."""
    from qm_site.site.builder import build

    build(content_dir, out_dir)
    return out_dir


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether --update-golden was given."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed site, built once per session."""
    return build_site(CONTENT, tmp_path_factory.mktemp("seed") / "public")


@pytest.fixture(scope="session")
def dressed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed in a look of its own (sitecheck.dress), its override recorded, built once per session."""
    from qm_site.errors import Collector
    from qm_site.site import overrides
    from qm_site.source import look

    root = tmp_path_factory.mktemp("dressed")
    shutil.copytree(CONTENT, root / "content")
    sitecheck.dress(root)
    overrides.record(look.read(root / "content", Collector()))
    return build_site(root / "content", root / "public")


@pytest.fixture(scope="session")
def dressed_url(dressed_site: Path):
    """Base URL of a local server over the dressed site."""
    with sitecheck.serve(dressed_site) as url:
        yield url


@pytest.fixture(scope="session")
def base_url() -> str:
    """The site's base_url from the seed site.yaml (absolute links to it are internal links)."""
    from qm_site.source import content

    return content.load(CONTENT).site.base_url


@pytest.fixture(scope="session")
def pages(site_dir: Path) -> list[str]:
    """Every HTML file of the seed site (both languages), relative to the site root."""
    found = sitecheck.html_files(site_dir)
    assert found, "the seed build produced no HTML pages"
    return found


@pytest.fixture(scope="session")
def viewable_pages(site_dir: Path) -> list[str]:
    """The pages a browser test visits: every HTML file except <meta refresh> redirect stubs (latest/)."""
    return sitecheck.viewable_pages(site_dir)


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """Base URL ('http://127.0.0.1:PORT/') of a local server over the seed site."""
    with sitecheck.serve(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (Playwright's sync API allows one instance at a time in a
    thread, and `build.py pdf` starts its own); skips browser tests if Chromium or Playwright is missing."""
    if not sitecheck.CHROMIUM.is_file():
        pytest.skip(f"Chromium not found at {sitecheck.CHROMIUM} (apt-get install chromium, or set QM_CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Playwright is not installed (pip install playwright; never `playwright install`)")
    with sitecheck.chromium() as b:
        yield b


@pytest.fixture
def new_page(browser):
    """Factory for pages in fresh browser contexts (viewport, JavaScript on/off); all closed afterwards."""
    contexts = []

    def make(width: int = 1366, height: int = 768, javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
