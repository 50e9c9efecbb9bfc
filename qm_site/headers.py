"""The HTTP headers the site is served with: one table for netlify.toml (tests/test_deploy.py holds them equal), the nginx
configuration (site/nginx.py) and the preview.

Scripts only from the site's own origin and the two platforms a government site must embed, no 'unsafe-inline': the one
inline script (qm_site/boot.py, 关怀模式 before the first paint) is allowed by its hash.
'wasm-unsafe-eval' lets Pagefind's search compile its WebAssembly; it allows no eval() of JavaScript. Inline `style`
attributes are allowed (poster sizes are computed at build time). The web editor (/admin/, Decap CMS) needs more:
'unsafe-eval' (Decap checks config.yml with ajv, which compiles its schema with new Function), inline <style> (emotion),
blob: and data: images and, for the GitHub backend only, api.github.com.

site.yaml's `gov` snippets (the 党政机关网站标识, 纠错 and analytics codes) are pasted by editors and cannot change these
headers (netlify.toml is a file of the repository; an nginx configuration is installed once): content.check_snippets
refuses a snippet the policy would block, so what the site shows is what a reader's browser runs. GOV_PLATFORMS are the
origins of the two scripts 《政府网站发展指引》 requires, allowed for scripts and images; anything else (a province's
analytics host) is added here, once, and reaches every host with this table.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from qm_site import boot

# dcs.conac.cn serves the 党政机关网站标识 script and its badge image; zfwzgl.www.gov.cn the 政府网站找错 (纠错) script.
GOV_PLATFORMS = "https://dcs.conac.cn https://zfwzgl.www.gov.cn"
SITE_CSP = (f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {boot.CSP_SOURCE} {GOV_PLATFORMS}; "
            "style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: {GOV_PLATFORMS}; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            "form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests")
ADMIN_CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
             "font-src 'self' data:; connect-src 'self' https://api.github.com; worker-src 'self' blob:; object-src 'none'; "
             "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"
ADMIN = "/admin/"
IMMUTABLE = "public, max-age=31536000, immutable"
HOURLY = "public, max-age=3600, must-revalidate"
# What Netlify sends with a file no rule gives a Cache-Control (HTML): other hosts are told it explicitly.
REVALIDATE = "public, max-age=0, must-revalidate"
CALENDAR, JSON, ATOM, YAML = ("text/calendar; charset=utf-8", "application/json; charset=utf-8",
                              "application/atom+xml; charset=utf-8",
                              "text/yaml; charset=utf-8")

# (path rule, headers) in Netlify's syntax (`:name` one segment, a trailing `*` the rest); for a path two rules match, the
# later rule's value of a header replaces the earlier one's (netlify.toml says why each rule is there).
RULES: tuple[tuple[str, dict[str, str]], ...] = (
    ("/*", {"Strict-Transport-Security": HSTS, "Content-Security-Policy": SITE_CSP, **SECURITY}),
    ("/assets/*", {"Cache-Control": IMMUTABLE}),
    ("/:year/:slug/schedule.ics", {"Content-Type": CALENDAR, "Cache-Control": HOURLY}),
    ("/:year/:slug/ics/*", {"Content-Type": CALENDAR, "Cache-Control": HOURLY}),
    ("/:year/:slug/campaign.json", {"Content-Type": JSON, "Cache-Control": HOURLY}),
    ("/feed.xml", {"Content-Type": ATOM, "Cache-Control": HOURLY}),
    ("/en/feed.xml", {"Content-Type": ATOM, "Cache-Control": HOURLY}),
    ("/sitemap.xml", {"Cache-Control": HOURLY}),
    ("/pdf/*", {"Cache-Control": "public, max-age=86400, must-revalidate"}),
    ("/admin/*", {"Content-Security-Policy": ADMIN_CSP, "Cache-Control": REVALIDATE, "X-Robots-Tag": "noindex"}),
    ("/admin/config.yml", {"Content-Type": YAML}),
)


def preview_headers(path: str) -> dict[str, str]:
    """What the preview sends with a file at URL `path`: the deployed site's policy, less what needs HTTPS.

    The preview is plain http on 127.0.0.1: `upgrade-insecure-requests` would send every script and style to an https
    address nothing answers, and HSTS means nothing there.
    """
    policy = ADMIN_CSP if path.startswith(ADMIN) else SITE_CSP
    policy = "; ".join(part for part in policy.split("; ") if part != "upgrade-insecure-requests")
    return {"Content-Security-Policy": policy, **SECURITY}


# --- what a pasted snippet needs of the policy ------------------------------------------------------------------

# Which directive governs a resource a tag loads (CSP falls back to default-src for the others).
_LOADS = {("script", "src"): "script-src", ("img", "src"): "img-src", ("iframe", "src"): "frame-src",
          ("link", "href"): "style-src", ("embed", "src"): "object-src", ("object", "data"): "object-src"}


class _Loads(HTMLParser):
    """The resources an HTML snippet loads, and what it would run inline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (directive, url), or (script-src, "inline") for code in the page
        self._in_script = False
        self._script_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note what the tag loads, and any inline event handler (CSP blocks those with the inline scripts)."""
        values = dict(attrs)
        for (t, attr), directive in _LOADS.items():
            if tag == t and values.get(attr):
                self.found.append((directive, str(values[attr]).strip()))
        if any(name.startswith("on") for name in values):
            self.found.append(("script-src", "inline"))
        self._in_script, self._script_src = tag == "script", bool(values.get("src"))

    def handle_endtag(self, tag: str) -> None:
        """A script element ends."""
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        """Code inside a <script> without src runs inline."""
        if self._in_script and not self._script_src and data.strip():
            self.found.append(("script-src", "inline"))


def snippet_loads(html: str) -> list[tuple[str, str]]:
    """(directive, url) of everything `html` loads; url "inline" for code written in the page itself."""
    parser = _Loads()
    parser.feed(html)
    parser.close()
    return parser.found


def sources(policy: str, directive: str) -> list[str]:
    """The sources a policy allows for a directive (default-src when it does not name it)."""
    parts = {p.split()[0]: p.split()[1:] for p in policy.split(";") if p.strip()}
    return parts.get(directive, parts.get("default-src", []))


def allows(policy: str, directive: str, url: str) -> bool:
    """Whether a browser under `policy` loads `url` (or runs inline code, url "inline") for `directive`."""
    allowed = sources(policy, directive)
    if url == "inline":
        return "'unsafe-inline'" in allowed
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return "'self'" in allowed  # a path on the site itself
    if parts.scheme == "data":
        return "data:" in allowed
    origin = f"{parts.scheme or 'https'}://{parts.hostname}"
    return any(origin == s or (s.startswith("https://*.") and origin.endswith(s[len("https://*"):])) for s in allowed)
