"""Benchmark corpora (deterministic): synthetic campaigns shaped like the seed notices, and heavy copies of the seeds.

`generate` writes campaigns made of sentences, slogans and activity names taken from the seeds; `heavy` copies the
seed campaigns themselves under unique slugs, each scaled to what a real notice carries at most (a long notice,
22-row schedules, 30 slogans), since those are what a real year's campaigns weigh, and each text marked with the
copy's number so that no two copies share one.
"""

from __future__ import annotations

import copy
import random
import re
import shutil
from pathlib import Path

import yaml

from qm_site.source.yamlio import Resolver12

ROOT = Path(__file__).resolve().parent.parent
# The seed content as the tests hold it (tests/fixtures/site/README.md): benchmark corpora and their figures do not move
# when an editor changes content/.
CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"

CITIES = ["珠海", "南京", "杭州", "成都", "西安", "武汉", "青岛", "厦门", "苏州", "宁波", "合肥", "长沙", "昆明", "大连", "沈阳"]
KINDS = ["市质量协会", "市市场监督管理局", "省质量协会", "市质量强市工作领导小组办公室", "行业协会"]
TIMES = ["9月1日-11月30日", "8 月 23 日", "9月1日至30日", "9月中旬", "9月上旬", "9月下旬", "9月-10月", "9月底截止",
         "9月全月", "8月中旬-9月中旬", "9月7日-9日", "全年", "9 月 29 日", "10月"]
PLACES = ["在线答题", "合肥", "北京", "线上线下相结合", "济南（拟定）", "全国各赛区", None]


def _corpus() -> tuple[list[str], list[str], list[str]]:
    """Sentences, slogans and activity names harvested from the seed content."""
    sentences, slogans, names = [], [], []
    for md in sorted(CONTENT.glob("*/*.md")):
        sentences += [s + "。" for s in re.split(r"。", re.sub(r"<!--.*?-->|[#\n]", "", md.read_text())) if len(s) > 12]
    for y in sorted(CONTENT.glob("*/campaign.yaml")):
        text = y.read_text()
        slogans += re.findall(r"^      - ([^\s:][^:\n]*\S)$", text, re.M)
        names += re.findall(r"^\s+(?:- )?name: (.+)$", text, re.M)
    return sentences, [s for s in slogans if " " in s], names


def campaign_files(i: int, rng: random.Random, corpus) -> dict[str, str]:
    """campaign.yaml and notice.md of one synthetic campaign."""
    sentences, slogans, names = corpus
    year = 2000 + i % 25
    city = CITIES[i % len(CITIES)]
    issuer = city + KINDS[i % len(KINDS)]
    rows = []
    for r in range(rng.randint(10, 25)):
        place = rng.choice(PLACES)
        details = rng.choice([rng.choice(sentences), [rng.choice(sentences) for _ in range(rng.randint(2, 4))]])
        row = f"      - no: {r + 1}\n        name: {rng.choice(names)}\n        time: {rng.choice(TIMES)}\n"
        if place:
            row += f"        place: {place}\n"
        if isinstance(details, list):
            row += "        details:\n" + "".join(f"          - {d}\n" for d in details)
        else:
            row += f"        details: {details}\n"
        rows.append(row)
    items = "".join(f"      - {s}\n" for s in rng.sample(slogans, rng.randint(15, min(30, len(slogans)))))
    yaml = f"""year: {year}
slug: c{i:05d}
title: 关于组织开展{year}年{city}“质量月”活动的通知
doc_number: {city[0]}质协〔{year}〕{i % 90 + 1}号
issuer: {issuer}
recipients: [各有关单位]
theme: {rng.choice(slogans)}
guiding_ideology: {rng.choice(sentences)}
body: notice.md
contacts:
  - people: [联系人甲, 联系人乙]
    phones: ["0756-266{i % 10000:04d}"]
    emails: [qm{i}@example.org]
    address: {city}市人民东路 240 号
    postcode: "519000"
    website: www.example.org
attachments:
  - title: {year}年{city}“质量月”系列活动安排
    schedule: activities
  - title: {year}年全国“质量月”活动宣传口号
    slogans: [national]
schedules:
  - id: activities
    caption: {year}年{city}“质量月”系列活动安排
    rows:
{''.join(rows)}slogans:
  - id: national
    title: {year}年全国“质量月”活动宣传口号
    items:
{items}"""
    body, size = [], 0
    target = rng.randint(3000, 6000)
    section = 0
    while size < target:
        if size >= section * 1200:
            section += 1
            body.append(f"\n## 第{section}部分\n\n")
        s = rng.choice(sentences)
        body.append(f"（{section}）{s}\n\n")
        size += len(s.encode())
    return {"campaign.yaml": yaml, "notice.md": "".join(body)}


def generate(n: int, dest: Path, seed: int = 1) -> Path:
    """Write site.yaml and n synthetic campaigns into dest; returns dest."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", dest / "site.yaml")
    rng = random.Random(seed)
    corpus = _corpus()
    for i in range(n):
        folder = dest / f"c{i:05d}"
        folder.mkdir()
        for name, text in campaign_files(i, rng, corpus).items():
            (folder / name).write_text(text, encoding="utf-8")
    return dest


HEAVY_ROWS = 22  # the longest real schedule (2022-caq's)
HEAVY_SLOGANS = 30  # a national slogan list at its longest


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 resolver the content is read with (`no:` is a key, not false)."""

    yaml_implicit_resolvers = Resolver12.yaml_implicit_resolvers


def _load(path: Path) -> dict:
    """One campaign.yaml, as the build reads its scalars."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader


class _Dumper(yaml.SafeDumper):
    """Block-style YAML with lists indented under their key, as the editor and the seeds write it."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: ARG002 - never indentless
        return super().increase_indent(flow, False)


def _seeds() -> list[Path]:
    """The seed campaign folders, in name order."""
    return sorted(p.parent for p in CONTENT.glob("*/campaign.yaml"))


def _heavy_pools() -> tuple[dict, list[str], str]:
    """What the seeds are scaled with: the longest schedule, every distinct slogan, and the longest notice's text."""
    loaded = [(folder, _load(folder / "campaign.yaml")) for folder in _seeds()]
    schedule = max((s for _, d in loaded for s in d.get("schedules", [])), key=lambda s: len(s["rows"]))
    slogans = list(dict.fromkeys(i for _, d in loaded for g in d.get("slogans", []) for i in g["items"] if isinstance(i, str)))
    notices = [(f / d["body"]).read_text(encoding="utf-8") for f, d in loaded if d.get("body")]
    return schedule, slogans, max(notices, key=len)


def _next_attachment(data: dict) -> int:
    """The number an added attachment takes: after the campaign's last."""
    return max((a.get("number", 0) for a in data.get("attachments", [])), default=0) + 1


def _scale_schedules(data: dict, longest: dict) -> None:
    """Every schedule padded to HEAVY_ROWS rows with the longest schedule's; a campaign without one gets a copy of it."""
    if not data.get("schedules"):
        data["schedules"] = [copy.deepcopy(longest)]
        data.setdefault("attachments", []).append(
            {"number": _next_attachment(data), "title": longest["caption"], "schedule": longest["id"]})
    for schedule in data["schedules"]:
        rows = schedule["rows"]
        last = max((r["no"] for r in rows if isinstance(r.get("no"), int)), default=0)
        extra = [dict(r) for r in longest["rows"][len(rows):HEAVY_ROWS]]
        for k, row in enumerate(extra):
            row["no"] = last + k + 1
        rows += extra


def _scale_slogans(data: dict, slogans: list[str]) -> None:
    """The first slogan list filled to HEAVY_SLOGANS with the seeds' other slogans; a campaign without one gets one."""
    if not data.get("slogans"):
        data["slogans"] = [{"id": "national", "title": f"{data['year']}年全国“质量月”活动口号", "items": []}]
        data.setdefault("attachments", []).append(
            {"number": _next_attachment(data), "title": data["slogans"][0]["title"], "slogans": ["national"]})
    items = data["slogans"][0]["items"]
    items += [s for s in slogans if s not in items][:max(0, HEAVY_SLOGANS - len(items))]


def _scale_notice(data: dict, seed: Path, longest: str) -> str:
    """The campaign's notice, lengthened with the longest seed notice's paragraphs to at least its length."""
    text = (seed / data["body"]).read_text(encoding="utf-8") if data.get("body") else ""
    paragraphs = [p for p in longest.split("\n\n") if p.strip() and not p.startswith("<!--")]
    k = 0
    while len(text) < len(longest):
        text = (text.rstrip("\n") + "\n\n" if text else "") + paragraphs[k % len(paragraphs)] + "\n"
        k += 1
    data["body"] = data.get("body") or "notice.md"
    return text


def _distinct(data: dict, notice: str, mark: str) -> str:
    """Make the copy's own texts its own: `mark` ends its theme, slogans, activities and notice paragraphs.

    Real campaigns share few texts, while identical copies would let the build's per-text memos (BudouX phrases,
    poster fitting) do the work once for all of them; the notice is returned with its paragraphs marked.
    """
    if data.get("theme"):
        data["theme"] += mark
    for group in data.get("slogans", []):
        group["items"] = [s + mark if isinstance(s, str) else s for s in group["items"]]
    for schedule in data.get("schedules", []):
        for row in schedule["rows"]:
            row["name"] += mark
            if isinstance(row.get("details"), str):
                row["details"] += mark
            elif isinstance(row.get("details"), list):
                row["details"] = [d + mark for d in row["details"]]
    return "\n\n".join(p if not p.strip() or p.lstrip().startswith(("#", "|", "<!--")) else p.rstrip("\n") + mark
                         for p in notice.split("\n\n"))


def heavy(n: int, dest: Path) -> Path:
    """Write site.yaml and n copies of the seed campaigns (in turn) with unique slugs and texts, each scaled: returns dest."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy(CONTENT / "site.yaml", dest / "site.yaml")
    seeds, (schedule, slogans, notice) = _seeds(), _heavy_pools()
    for i in range(n):
        seed = seeds[i % len(seeds)]
        folder = dest / f"{seed.name}-h{i:05d}"
        shutil.copytree(seed, folder)
        data = _load(seed / "campaign.yaml")
        data["slug"] = f"{data['slug']}-h{i:05d}"
        _scale_schedules(data, schedule)
        _scale_slogans(data, slogans)
        text = _distinct(data, _scale_notice(data, seed, notice), str(i))
        (folder / (data.get("body") or "notice.md")).write_text(text, encoding="utf-8")
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    return dest
