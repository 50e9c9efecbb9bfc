"""Hugo's side of the benchmark: the synthetic campaigns as a Hugo site, and one timed `hugo` build of it.

Each campaign becomes one Hugo page (content/campaigns/<id>.md) carrying the same text qm-site renders from it:
the notice Markdown, the slogans as a list, the schedule as a Markdown table and the contacts. The site has a
minimal theme of its own (layouts/: baseof, single, list, index with a header, nav and footer like ours), so
Hugo does comparable work per page; its home, section, RSS and sitemap are left on and counted as written.
Taxonomies are off: synthetic campaigns have no tags, and empty taxonomy pages would only pad the page count.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

CONFIG = """baseURL = "https://example.org/"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
title = "{title}"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = false
"""

# Plain semantic HTML, as our base.html: skip link, masthead with nav and search form, main, footer.
BASEOF = """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}{{ if not .IsHome }} · {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 120 }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "site.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="masthead">
  <div class="wrap">
    <a class="brand" href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
    <nav class="site-nav" aria-label="网站">
      <a href="{{ .Site.Home.RelPermalink }}"{{ if .IsHome }} aria-current="page"{{ end }}>活动</a>
      <a href="{{ "campaigns/" | relURL }}">全部通知</a>
    </nav>
    <form class="site-search" role="search" action="{{ "search/" | relURL }}" method="get">
      <input type="search" name="q" placeholder="搜索"><button type="submit">搜索</button>
    </form>
  </div>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
  <div class="wrap">
    <p><span>{{ .Site.Title }}</span> <a href="{{ "index.xml" | relURL }}">RSS</a>
      <a href="{{ "sitemap.xml" | relURL }}">网站地图</a></p>
    <p class="muted">内容来自已发布的通知，以原文为准。</p>
  </div>
</footer>
</body>
</html>
"""

SINGLE = """{{ define "main" }}
<article>
  <header>
    <h1>{{ .Title }}</h1>
    <p class="meta">{{ .Params.doc_number }} · {{ .Params.issuer }} ·
      <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></p>
    <p class="theme">{{ .Params.theme }}</p>
  </header>
  {{ .TableOfContents }}
  {{ .Content }}
</article>
<nav class="pager">
  {{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
  {{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</nav>
{{ end }}
"""

LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="campaigns">
{{ range .Pages.ByDate.Reverse }}
  <li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="muted">{{ .Params.issuer }} · {{ .Date.Year }}</span></li>
{{ end }}
</ul>
{{ end }}
"""

INDEX = """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ range (where .Site.RegularPages "Section" "campaigns").GroupByDate "2006" }}
<section>
  <h2>{{ .Key }}</h2>
  <ul class="campaigns">
  {{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="muted">{{ .Params.theme }}</span></li>
  {{ end }}
  </ul>
</section>
{{ end }}
{{ end }}
"""

LAYOUTS = {"_default/baseof.html": BASEOF, "_default/single.html": SINGLE, "_default/list.html": LIST, "index.html": INDEX}

# Runs `hugo` as its only child, so RUSAGE_CHILDREN is Hugo's own peak, measured as qm-site's builds are.
CHILD = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t0
print(json.dumps({"code": r.returncode, "wall": wall, "rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "stderr": r.stderr[-4000:]}))
"""


def cell(value: object) -> str:
    """One Markdown table cell: a list joined into one line, pipes escaped so they do not split the row."""
    text = "；".join(map(str, value)) if isinstance(value, list) else str(value if value is not None else "")
    return text.replace("|", "\\|").replace("\n", " ")


def campaign_body(data: dict, notice: str) -> str:
    """The page text: the notice, then the slogans, the schedules and the contacts, as qm-site shows them."""
    parts = [f"**{data.get('theme', '')}**\n\n{data.get('guiding_ideology', '')}\n\n{notice.strip()}\n"]
    for group in data.get("slogans", []):
        parts.append(f"## {group['title']}\n\n" + "".join(f"- {s}\n" for s in group["items"]))
    for schedule in data.get("schedules", []):
        rows = "".join(f"| {cell(r.get('no'))} | {cell(r.get('name'))} | {cell(r.get('time'))} | {cell(r.get('place'))} "
                       f"| {cell(r.get('details'))} |\n" for r in schedule["rows"])
        parts.append(f"## {schedule['caption']}\n\n| 序号 | 活动 | 时间 | 地点 | 内容 |\n|---:|---|---|---|---|\n{rows}")
    for c in data.get("contacts", []):
        parts.append("## 联系方式\n\n" + "".join(f"- {label}：{cell(c[key])}\n" for label, key in
                                              [("联系人", "people"), ("电话", "phones"), ("邮箱", "emails"), ("地址", "address"),
                                               ("邮编", "postcode"), ("网址", "website")] if key in c))
    return "\n".join(parts)


def campaign_page(data: dict, notice: str) -> str:
    """One Hugo content file: YAML front matter (JSON strings are YAML) and the body."""
    front = {"title": data["title"], "date": f"{data['year']}-09-01", "doc_number": data.get("doc_number", ""),
             "issuer": data.get("issuer", ""), "theme": data.get("theme", "")}
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in front.items())
    return f"---\n{lines}---\n\n{campaign_body(data, notice)}"


def write_site(content: Path, dest: Path) -> Path:
    """Write a Hugo site into dest (emptied first) with one page per campaign folder of synth's content; returns dest."""
    if dest.exists():
        shutil.rmtree(dest)
    pages = dest / "content" / "campaigns"
    pages.mkdir(parents=True)
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    (dest / "hugo.toml").write_text(CONFIG.format(title=site["title"]), encoding="utf-8")
    for name, text in LAYOUTS.items():
        (dest / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / "layouts" / name).write_text(text, encoding="utf-8")
    (pages / "_index.md").write_text('---\ntitle: "全部通知"\n---\n', encoding="utf-8")
    for folder in sorted(p.parent for p in content.glob("*/campaign.yaml")):
        data = yaml.safe_load((folder / "campaign.yaml").read_text(encoding="utf-8"))
        # The notice and its Markdown attachments: qm-site shows both, on pages of their own.
        files = [data["body"]] * bool(data.get("body")) + [a["file"] for a in data.get("attachments", []) if a.get("file")]
        notice = "\n\n".join((folder / name).read_text(encoding="utf-8") for name in files)
        (pages / f"{folder.name}.md").write_text(campaign_page(data, notice), encoding="utf-8")
    return dest


def version(hugo: str) -> str:
    """`hugo version`'s first line, e.g. "hugo v0.111.3+extended linux/amd64 ..."."""
    return subprocess.run([hugo, "version"], capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]


def build(hugo: str, site: Path, out: Path, cache: Path) -> dict:
    """One Hugo build of site into out (a new folder) in a fresh child: wall seconds, HTML pages written, peak RSS in MB.

    The wall time is the hugo process's, from start to exit, timed in the child: the Python wrapper's own start is not Hugo's.
    """
    os.sync()  # as qm-site's builds: no build pays for the previous one's writes
    command = [hugo, "--quiet", "--noBuildLock", "--source", str(site), "--destination", str(out), "--cacheDir", str(cache)]
    r = subprocess.run([sys.executable, "-c", CHILD, *command], capture_output=True, text=True, check=True)
    data = json.loads(r.stdout.strip().splitlines()[-1])
    if data["code"] != 0:
        raise SystemExit(f"hugo build failed:\n{data['stderr']}")
    return {"wall": data["wall"], "pages": sum(1 for _ in out.rglob("*.html")),
            "files": sum(1 for p in out.rglob("*") if p.is_file()),
            "rss_mb": data["rss_kb"] / 1024}


def main() -> int:
    """Write the Hugo site for N synthetic campaigns and build it once (a quick look; run.py does the comparison)."""
    import argparse

    import synth

    p = argparse.ArgumentParser(description=main.__doc__)
    p.add_argument("n", type=int, nargs="?", default=10)
    p.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / ".work-hugo")
    p.add_argument("--hugo", default=shutil.which("hugo"))
    args = p.parse_args()
    if not args.hugo:
        raise SystemExit("hugo is not installed (scripts/install-deps.sh --bench installs it)")
    work = args.work.resolve()
    site = write_site(synth.generate(args.n, work / "content"), work / "hugo-site")
    result = build(args.hugo, site, work / "out", work / "hugo-cache")
    print(f"{version(args.hugo)}\nN={args.n}: {result['pages']} pages ({result['files']} files) in {result['wall']:.2f}s, "
          f"{result['pages'] / result['wall']:.0f} pages/s, peak RSS {result['rss_mb']:.0f} MB")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
