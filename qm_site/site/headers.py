"""The HTTP headers the site is served with: one table for netlify.toml (tests/test_deploy.py holds them equal) and the preview.

Scripts only from the site's own origin, no 'unsafe-inline': the one inline script (site/boot.py, 关怀模式 before the
first paint) is allowed by its hash. 'wasm-unsafe-eval' lets Pagefind's search compile its
WebAssembly; it allows no eval() of JavaScript. Inline `style` attributes are allowed (poster sizes are computed at
build time). The web editor (/admin/, Decap CMS) needs more: 'unsafe-eval' (Decap checks config.yml with ajv, which
compiles its schema with new Function), inline <style> (emotion), blob: and data: images and, for the GitHub backend
only, api.github.com.
"""

from __future__ import annotations

from qm_site.site import boot

SITE_CSP = (f"default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {boot.CSP_SOURCE}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'; upgrade-insecure-requests")
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


def preview_headers(path: str) -> dict[str, str]:
    """What the preview sends with a file at URL `path`: the deployed site's policy, less what needs HTTPS.

    The preview is plain http on 127.0.0.1: `upgrade-insecure-requests` would send every script and style to an https
    address nothing answers, and HSTS means nothing there.
    """
    policy = ADMIN_CSP if path.startswith(ADMIN) else SITE_CSP
    policy = "; ".join(part for part in policy.split("; ") if part != "upgrade-insecure-requests")
    return {"Content-Security-Policy": policy, **SECURITY}
