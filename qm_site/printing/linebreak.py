"""Where a slogan may break across lines: its own spaces first, then BudouX's phrase boundaries (pure, no I/O).

Chinese slogans are often written without spaces ("质量引领中国制造走向世界"), so breaking only at spaces
leaves them on one line, tiny on a large poster. BudouX (Google's phrase segmenter, a small model that
ships in the package) finds the boundaries a typesetter would break at: 质量|引领|中国|制造|走向|世界.
Two house rules on top of it: a one-character phrase (向, 家, 和) stays with its neighbour, and nothing
breaks inside quotation marks or brackets ("三个转变" stays whole).
"""

from __future__ import annotations

from functools import cache, lru_cache

OPENING = "“‘「『《〈（(【〔［["
CLOSING = "”’」』》〉）)】〕］]"
SUFFIXES = set("的地得了着过们家者性化度率型式上下中里内外之")  # one-character phrases that end the phrase before


@cache
def budoux_parser():
    """BudouX's Simplified Chinese model (where a Chinese line may break), loaded once per process when first needed."""
    import budoux

    return budoux.load_default_simplified_chinese_parser()


@lru_cache(maxsize=4096)
def phrases(text: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
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
    """BudouX's phrases of one half, with one-character phrases and bracketed text kept together."""
    out: list[str] = []
    depth = 0  # how many quotes or brackets are open at the end of out[-1]
    for piece in _singles_attached(budoux_parser().parse(half)):
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
