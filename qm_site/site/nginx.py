"""An nginx `server {}` block that serves a built site as Netlify does (pure): `build.py nginx` prints it.

Made from the one header table (headers.RULES) and the build's own _redirects text (feeds.redirects), so a host in
mainland China answers with netlify.toml's headers, the site's 404 pages and the /latest/ redirect. nginx drops a
server's `add_header`s in a location that has its own, so every location repeats the whole set; `always` sends them
with the 404 page too. A Content-Type of the table replaces the MIME type (`types {}` empties the map, `default_type`
is then what is sent), as an added header would only send a second one.
"""

from __future__ import annotations

import re

from ..headers import REVALIDATE, RULES

GZIP_TYPES = ("text/css", "application/javascript", "application/json", "image/svg+xml", "application/atom+xml", "application/xml",
              "text/calendar", "text/plain", "text/yaml")


def _quote(value: str) -> str:
    """An nginx string in double quotes."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def headers_for_rule(rule: str) -> dict[str, str]:
    """Every header a path the rule matches gets: the site-wide rule, then each earlier rule it lies under, then its own."""
    merged = {"Cache-Control": REVALIDATE}  # what Netlify sends when no rule sets it (HTML): other hosts must say it
    for pattern, values in RULES:
        if pattern == rule or pattern == "/*" or (pattern.endswith("/*") and rule.startswith(pattern[:-1])):
            merged.update(values)
    return merged


def location(rule: str) -> str:
    """The nginx location matching a Netlify path rule: `=` for one file, a prefix for `dir/*`, a regex for `:name`."""
    if ":" in rule:
        parts = [r"[^/]+" if p.startswith(":") else ".*" if p == "*" else re.escape(p)
                 for p in re.split(r"(:[a-z]+|\*)", rule) if p]
        return "~ ^" + "".join(parts) + "$"
    if rule.endswith("/*"):
        return rule[:-1]
    return "= " + rule


def _directives(headers: dict[str, str], indent: str) -> list[str]:
    """add_header lines (always: error pages too) and, for a Content-Type, the type that replaces the MIME map's."""
    out = []
    for name, value in headers.items():
        if name == "Content-Type":
            out.append(f"{indent}types {{ }}")
            out.append(f"{indent}default_type {_quote(value)};")
        else:
            out.append(f"{indent}add_header {name} {_quote(value)} always;")
    return out


def _redirect_rules(redirects: str, site_wide: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """_redirects lines as nginx: exact `return`s (with the site's headers), and the 404 page of each path prefix
    (`/en/* /en/404.html 404`)."""
    returns: list[str] = []
    not_found: dict[str, str] = {}
    for line in redirects.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        source, target, status = parts[0], parts[1], parts[2].rstrip("!")
        if status == "404" and source.endswith("/*"):
            not_found[source[:-1]] = target
        else:
            returns += [f"    location = {source} {{", *_directives(site_wide, " " * 8),
                        f"        return {status} {target};", "    }"]
    return returns, not_found


def server_block(root: str, redirects: str, server_name: str, listen: str = "80") -> str:
    """The `server {}` block serving the built site at `root` (its _redirects text `redirects`) as `server_name`."""
    site_wide = headers_for_rule("/*")
    returns, not_found = _redirect_rules(redirects, site_wide)
    lines = [
        "# Made by `python3 build.py nginx` from qm_site/headers.py (the table netlify.toml holds) and the build's",
        "# redirects: make it again after changing either, or after a new campaign becomes the latest.",
        "# HTTPS (the headers assume it: HSTS, upgrade-insecure-requests): listen 443 ssl; with ssl_certificate and",
        "# ssl_certificate_key, and a second server on port 80 that answers `return 301 https://$host$request_uri;`.",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f"    root {_quote(root)};",
        "    index index.html;",
        "    charset utf-8;",
        "    server_tokens off;",
        "    absolute_redirect off;  # /2022/national -> /2022/national/ keeps the scheme and host the reader used",
        "    # precompressed files (name.gz beside name) when present, else compressed on the fly",
        "    gzip_static on;",
        "    gzip on;",
        "    gzip_vary on;",
        "    gzip_types " + " ".join(GZIP_TYPES) + ";",
        "    error_page 404 /404.html;",
        "    location / {",
        "        try_files $uri $uri/ =404;",
        *_directives(site_wide, " " * 8),
        "    }",
    ]
    for prefix, page in not_found.items():
        lines += [f"    location {prefix} {{", f"        error_page 404 {page};", "        try_files $uri $uri/ =404;",
                  *_directives(site_wide, " " * 8), "    }"]
    for rule, _values in RULES:
        if rule == "/*":
            continue
        lines += [f"    location {location(rule)} {{", *_directives(headers_for_rule(rule), " " * 8), "    }"]
    lines += [*returns, "    location = /_redirects {  # Netlify's, read by this command: not a page",
              "        return 404;", "    }", "}"]
    return "\n".join(lines) + "\n"
