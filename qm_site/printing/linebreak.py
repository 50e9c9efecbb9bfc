"""Where Chinese text may break across lines, for the reader pages and the posters alike (pure; reads one data file).

Chinese is written without spaces, so a line may break between any two characters; a typesetter breaks
between phrases. BudouX (Google's phrase segmenter, a small model that ships in the package) finds them:
质量|引领|中国|制造|走向|世界. Two things it does not know are added here:

- key terms (key_terms.txt in this folder: 高质量, 质量强国, 中国制造, 复工复产 …) are never broken inside:
  BudouX gives 助推|高|质量|发展 and 中国|制造, and a poster that breaks 助推高 / 质量发展 misreads;
- a one-character phrase never stands alone, and nothing breaks inside quotation marks or brackets.

`text_phrases` serves the reader pages (the `phrases` filter puts <wbr> between them); `slogan_phrases` and
`slogan_lines` set a slogan in lines for a poster or an image: each half of a two-part slogan (its own space)
on its own line or lines, broken inside a half only between phrases, and the most balanced break wins.
`slogan_lines` needs only a measure of a line's length in em, so any renderer (SVG, PDF, Pillow) can use it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

OPENING = "“‘「『《〈（(【〔［["
CLOSING = "”’」』》〉）)】〕］]"
SUFFIXES = set("的地得了着过们家者性化度率型式上下中里内外之")  # one-character phrases that end the phrase before
PHRASE_GAIN = 1.2  # break a half between its phrases only when that sets the slogan this much larger
GAP = "\u3000"  # slogan halves on one line are set an ideographic space apart, as Chinese posters do
SPACE = " "  # ...but two Latin words keep an ordinary space
RAGGED = 2 / 3  # of settings at one size, fewer lines win unless a line is shorter than this share of the longest
SHORT = 2  # a line of this many characters or fewer, cut from a longer half, reads as a stray word

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WEB_CLOSING = "”’」』》〉）】〕，。、：；！？,.;:!?)]%"  # a lone ideograph ending in one of these (月”) joins the phrase before it
_WEB_OPENING = "“‘「『《〈（【〔(["
_DATE_TAIL = re.compile(r"\d[年月]$")  # 9月|30日 would split a date: 11月30日 stays whole
_GLUE = re.compile(r"[0-9A-Za-z.,%:/\-]")  # characters a number or a Latin word is made of: never split between two
_LETTER = re.compile(r"[\w\u3400-\u9fff\uf900-\ufaff]")  # what counts as a character of a line (not punctuation)


@cache
def budoux_parser():
    """BudouX's Simplified Chinese model (where a Chinese line may break), loaded once per process when first needed."""
    import budoux

    return budoux.load_default_simplified_chinese_parser()


@cache
def _term_lines() -> tuple[str, ...]:
    """The entries of key_terms.txt (one a line; # starts a comment)."""
    text = files("qm_site").joinpath("printing", "key_terms.txt").read_text(encoding="utf-8")
    return tuple(entry for line in text.splitlines() if (entry := line.split("#", 1)[0].strip()))


@cache
def key_terms() -> tuple[str, ...]:
    """The terms no line breaks inside, longest first."""
    return tuple(sorted({t for t in _term_lines() if not t.startswith("!")}, key=lambda t: (-len(t), t)))


@cache
def not_terms() -> tuple[str, ...]:
    """Words that hold a key term's characters without meaning it (!提高质量: 提高|质量, not 提|高质量)."""
    return tuple(sorted({t[1:] for t in _term_lines() if t.startswith("!")}, key=lambda t: (-len(t), t)))


def _occurrences(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Every (start, end) where one of the words occurs in the text, overlapping ones too."""
    return [(i, i + len(w)) for w in words for i in range(len(text)) if text.startswith(w, i)]


def inside_terms(text: str) -> frozenset[int]:
    """The offsets i where a break before text[i] would split a key term."""
    if not any(t in text for t in key_terms()):  # most text holds none: one C-speed scan per term
        return frozenset()
    others = _occurrences(text, not_terms())
    out: set[int] = set()
    for start, end in _occurrences(text, key_terms()):
        if not any(a <= start and end <= b for a, b in others):
            out.update(range(start + 1, end))
    return frozenset(out)


def keep_terms(pieces: list[str], text: str) -> list[str]:
    """Pieces of `text` (in order, joined they make it) with those that would split a key term joined."""
    inside = inside_terms(text)
    out: list[str] = []
    at = 0
    for piece in pieces:
        if out and at in inside:
            out[-1] += piece
        else:
            out.append(piece)
        at += len(piece)
    return out


def split_terms(text: str) -> list[tuple[str, str]]:
    """Every key term a break in `text` at the given places splits, as (before, after) pairs (for tests and checks)."""
    return [(text[:i], text[i:]) for i in sorted(inside_terms(text))]


# --- running text: the reader pages -----------------------------------------------------


@lru_cache(maxsize=8192)  # the same titles and slogans recur on many pages; bounded: a worker sees thousands of campaigns
def text_phrases(text: str) -> tuple[str, ...]:
    """BudouX phrases of a Chinese text, joined where a break would split a key term or a number, or leave one
    character alone.

    BudouX gives 全|国 and leaves 建设质量强|国 an orphan at a line end; a one-ideograph phrase joins the next
    phrase, or the one before it when it closes a quote or clause or comes before an opening quote (the browser
    breaks before “ anyway) or ends the text; and 2|022, 10|%, 11月|30日 or 中国|制造 never happens.
    """
    out: list[str] = []
    for p in keep_terms(budoux_parser().parse(text), text) if _CJK.search(text) else [text]:
        if out and _joins(out[-1], p):
            out[-1] += p
        else:
            out.append(p)
    merged: list[str] = []
    for p in out:
        if merged and _single(p):
            merged[-1] += p
        else:
            merged.append(p)
    return tuple(merged)


def _joins(before: str, p: str) -> bool:
    """Whether two neighbouring BudouX phrases should stay on one line."""
    return (p.isspace() or p[0] in _WEB_CLOSING or before[-1] in _WEB_OPENING  # no line starts with ， or ) nor ends with (
            or (_single(before) and p[0] not in _WEB_OPENING) or (_single(p) and p[-1] in _WEB_CLOSING)
            or bool(_GLUE.match(p[0]) and _GLUE.match(before[-1])) or bool(p[0].isdigit() and _DATE_TAIL.search(before)))


def _single(p: str) -> bool:
    """A phrase of one ideograph (with at most punctuation beside it), which should not stand on a line alone."""
    return len(_CJK.findall(p)) == 1 and len(p.strip()) <= 2


# --- slogans: posters and images --------------------------------------------------------


@lru_cache(maxsize=4096)
def slogan_phrases(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """The slogan's phrases and, for each, whether it starts one of the slogan's space-separated halves.

    Setting phrases of one half side by side needs nothing between them; halves are set a space apart.
    """
    parts: list[str] = []
    starts: list[bool] = []
    for half in text.split():
        for i, piece in enumerate(_merged(half)):
            parts.append(piece)
            starts.append(i == 0)
    return tuple(parts), tuple(starts)


def _merged(half: str) -> list[str]:
    """BudouX's phrases of one half, with key terms, one-character phrases and bracketed text kept together."""
    out: list[str] = []
    depth = 0  # how many quotes or brackets are open at the end of out[-1]
    for piece in _singles_attached(keep_terms(budoux_parser().parse(half), half)):
        if out and (depth > 0 or piece[0] in CLOSING):
            out[-1] += piece
        else:
            out.append(piece)
        depth = max(0, depth + sum(ch in OPENING for ch in piece) - sum(ch in CLOSING for ch in piece))
    return out


def _singles_attached(pieces: list[str]) -> list[str]:
    """One-character phrases joined to a neighbour: runs of them to each other (走|向 -> 走向), a suffix (的, 家)
    or the last one to the phrase before, any other (高, 和) to the phrase after."""
    paired: list[str] = []
    for piece in pieces:
        if paired and len(piece) == 1 and len(paired[-1]) == 1 and paired[-1] not in OPENING:
            paired[-1] += piece
        else:
            paired.append(piece)
    out: list[str] = []
    pending = ""
    for i, piece in enumerate(paired):
        piece, pending = pending + piece, ""
        if len(piece) > 1 or not out and i == len(paired) - 1:
            out.append(piece)
        elif piece in SUFFIXES and out or i == len(paired) - 1:
            out[-1] += piece
        else:
            pending = piece
    return out


def join_halves(halves: Sequence[str]) -> str:
    """Halves set on one line: an ideographic space between them, a plain one between two Latin words."""
    out = halves[0] if halves else ""
    for half in halves[1:]:
        out += (SPACE if is_latin(out[-1]) and is_latin(half[0]) else GAP) + half
    return out


def is_latin(ch: str) -> bool:
    """A letter or digit a Chinese font sets narrow (not 1 em wide)."""
    return ch.isalnum() and unicodedata.east_asian_width(ch) not in ("W", "F", "A")


def _halves(parts: Sequence[str], starts: Sequence[bool]) -> list[str]:
    """Phrases regrouped into the halves (or pieces of a half) they make."""
    out: list[str] = []
    for part, start in zip(parts, starts):
        if start or not out:
            out.append(part)
        else:
            out[-1] += part
    return out


def letters(line: str) -> int:
    """How many characters a line reads as: ideographs, letters and digits, not punctuation or spaces."""
    return len(_LETTER.findall(line))


@dataclass(frozen=True)
class Setting:
    """A slogan set in lines: the lines, the longest and shortest one's length in the measure's unit (em), and
    whether a line break falls inside a half (between its phrases) rather than only between halves."""

    lines: tuple[str, ...]
    longest: float
    shortest: float
    broken: bool

    @property
    def ragged(self) -> bool:
        """Whether a line is much shorter than the longest (高质量 / 可持续　享未来, 质量引领 / 中国制造走向世界)."""
        return self.shortest < self.longest * RAGGED

    def size(self, along: float, across: float, line_height: float, max_size: float = math.inf) -> float:
        """The largest type size at which the lines fit a box `along` long and `across` deep (0 for nothing to set)."""
        if not self.lines:
            return 0.0
        return min(along / self.longest if self.longest > 0 else math.inf, across / (len(self.lines) * line_height), max_size)


Option = tuple[float, float, tuple[str, ...]]  # longest line, shortest line, lines


def settings(parts: tuple[str, ...], starts: tuple[bool, ...], measure: Callable[[str], float]) -> tuple[Setting, ...]:
    """For each number of lines, the most balanced setting of the phrases with the halves kept whole and with
    them broken: each half begins a line (only the parts of a list of three or more share lines), no line is a
    stray word of one or two characters cut from a longer half, the longest line is as short as it can be and,
    of equally long ones, the shortest line as long as it can be.

    `parts`/`starts` are slogan_phrases'; `measure` gives a line's length in em (phrases of a half set side by side).
    """
    n = len(parts)
    seg = _segments(parts, starts, measure)
    # front[j, broken]: the settings of parts[:j] in the current number of lines none of which is both longer and less even
    front: dict[tuple[int, bool], list[Option]] = {(0, False): [(0.0, math.inf, ())]}
    out: list[Setting] = []
    for _k in range(n):
        nxt: dict[tuple[int, bool], list[Option]] = {}
        for (i, was_broken), options in front.items():
            for (a, j), (line, length, cut) in seg.items():
                if a == i:
                    nxt.setdefault((j, was_broken or cut), []).extend(
                        (max(longest, length), min(shortest, length), lines + (line,)) for longest, shortest, lines in options)
        front = {key: _pareto(opts) for key, opts in nxt.items()}
        for broken in (False, True):
            if (n, broken) in front:
                longest, shortest, lines = min(front[n, broken], key=lambda o: (o[0], -o[1], o[2]))
                out.append(Setting(lines, longest, shortest, broken))
    return tuple(out)


def _segments(parts: tuple[str, ...], starts: tuple[bool, ...], measure) -> dict[tuple[int, int], tuple[str, float, bool]]:
    """Every line parts[i:j] may make: its text, its length and whether it cuts a half."""
    n = len(parts)
    half_of = [0] * n
    for i in range(1, n):
        half_of[i] = half_of[i - 1] + starts[i]
    half_letters = [0] * (half_of[-1] + 1 if n else 0)
    for i, part in enumerate(parts):
        half_letters[half_of[i]] += letters(part)
    lists = n > 0 and half_of[-1] >= 2  # three or more parts (强能力 激活力 聚合力): whole parts may share a line
    seg: dict[tuple[int, int], tuple[str, float, bool]] = {}
    for i in range(n):
        for j in range(i + 1, n + 1):
            whole = starts[i] and (j == n or starts[j])
            if any(starts[i + 1:j]):  # a line holding two halves: only whole parts of a list
                if not (lists and whole):
                    continue
                line = join_halves(_halves(parts[i:j], starts[i:j]))
            else:
                line = "".join(parts[i:j])
                if not whole and letters(line) <= SHORT < half_letters[half_of[i]]:
                    continue
            seg[i, j] = line, measure(line), not whole
    return seg


def _pareto(options: list[Option]) -> list[Option]:
    """The options no other beats on both counts (a shorter or equal longest line and a longer or equal shortest one)."""
    options.sort(key=lambda o: (o[0], -o[1], o[2]))
    out: list[Option] = []
    for o in options:
        if not out or o[1] > out[-1][1] + 1e-12:
            out.append(o)
    return out


def choose(options: tuple[Setting, ...], along: float, across: float, line_height: float,
           max_size: float = math.inf) -> tuple[Setting, float]:
    """The setting that sets the slogan largest in the box, and its size: halves kept whole unless breaking them
    between phrases sets it PHRASE_GAIN times larger; of equal sizes, the fewest lines that are not ragged."""
    def largest(broken: bool) -> tuple[Setting, float] | None:
        sized = [(s.size(along, across, line_height, max_size), s) for s in options if s.broken == broken]
        if not sized:
            return None
        top = max(size for size, _ in sized)
        size, setting = min(((sz, s) for sz, s in sized if sz >= top - 1e-9), key=lambda b: (b[1].ragged, len(b[1].lines)))
        return setting, size

    whole, cut = largest(False), largest(True)
    if whole is None or cut is not None and cut[1] > whole[1] * PHRASE_GAIN:
        assert cut is not None, "settings() always holds the halves unbroken"
        return cut
    return whole


def slogan_lines(text: str, measure: Callable[[str], float], width: float, height: float,
                 line_height: float = 1.3, max_size: float = math.inf) -> tuple[tuple[str, ...], float]:
    """A slogan set in a box `width` × `height` (any unit): its lines and the type size, at most `max_size`.

    `measure(line)` is a line's length in em at size 1 (e.g. Pillow: font.getlength(line) / font.size). Each half
    of a two-part slogan has its own line(s); see `settings` and `choose` for how the break is picked.
    """
    parts, starts = slogan_phrases(text)
    if not parts:
        return (), 0.0
    setting, size = choose(settings(parts, starts, measure), width, height, line_height, max_size)
    return setting.lines, size
