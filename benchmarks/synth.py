"""Synthetic campaigns shaped like the seed notices, for benchmarks (deterministic for a given seed)."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

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
