"""Poster fonts: find Noto Sans CJK SC, read its advance widths, subset it to a WOFF2.

The subset is converted from CFF to TrueType outlines because Chromium's PDF
backend (Skia) embeds CFF fonts as Type 3 fonts (each glyph a drawing), which print shops'
preflight rejects; with TrueType outlines the PDFs carry a real CID font.
Without Noto CJK the build still works: posters use the system font stack and the
text fitting assumes safe widths (see `FALLBACK`).
"""

from __future__ import annotations

import hashlib
import math
import os
import signal
import sys
import threading
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import cache as disk_cache

FAMILY = "Noto Sans CJK SC"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")
PATTERNS = ("NotoSansCJK-{w}.ttc", "NotoSansCJKsc-{w}.otf", "NotoSansSC-{w}.otf")
STYLESHEET = "fonts/poster-font.css"  # stable URL (short caching) holding the @font-face of the current subset


def font_face_css(font_path: str) -> str:
    """The stylesheet at STYLESHEET: an @font-face for the subset at `font_path` (relative to the site root)."""
    return (f'@font-face {{ font-family: "QM Poster"; src: url("../{font_path}") format("woff2"); '
            "font-weight: 700; font-display: block; }\n")
SUBSET_VERSION = "2"  # bump when the subsetting recipe changes, so cached subsets are rebuilt
# Features the posters need: fontTools' defaults (incl. vertical alternates) plus the
# half/third/quarter widths Chromium uses for `text-combine-upright`.
EXTRA_FEATURES = ("hwid", "twid", "qwid")
MISSING_NOTE = "Noto CJK fonts not found (apt-get install fonts-noto-cjk); posters use the system font stack"


@dataclass(frozen=True)
class Face:
    """One face of a font file (collections hold several; `number` picks one)."""

    path: str
    number: int


class Advances(dict[int, float | None]):
    """Advances in em by code point (None: the font has no such character), as Metrics looks them up.

    Those read back from the disk cache stay in its sorted arrays and are copied in as each character is first
    asked for: unpacking all 65,000 glyphs into dicts took ~20 ms of every build, and a site's posters set a few
    hundred characters.
    """

    def __init__(self, known: dict[int, float] | None = None, codes: array | None = None, values: array | None = None):
        super().__init__(known or {})
        self.codes = array("I") if codes is None else codes
        self.ems = array("d") if values is None else values  # NaN where the font has none; not .values: dict has that

    def __missing__(self, code: int) -> float | None:
        if not self.codes:  # given as a dict: nothing more to find, and nothing to remember
            return None
        i = bisect_left(self.codes, code)
        value = self.ems[i] if i < len(self.codes) and self.codes[i] == code else math.nan
        found = self[code] = None if math.isnan(value) else value
        return found

    def known(self) -> dict[int, float]:
        """Every advance the font has, the arrays' included, without filling this mapping (to pack it)."""
        out = {c: v for c, v in zip(self.codes, self.ems) if not math.isnan(v)}
        out.update((c, v) for c, v in self.items() if v is not None)
        return out


class Metrics:
    """Advance widths in em for text fitting: horizontal and vertical (upright)."""

    def __init__(self, widths: dict[int, float] | Advances | None = None, heights: dict[int, float] | Advances | None = None,
                 exact: bool = False):
        self._widths = widths if isinstance(widths, Advances) else Advances(widths)
        self._heights = heights if isinstance(heights, Advances) else Advances(heights)
        self.exact = exact  # True when read from the font the posters are set in

    def advance(self, ch: str) -> float:
        """Horizontal advance of one character, in em."""
        w = self._widths[ord(ch)]
        return w if w is not None else _guess_width(ch)

    def vadvance(self, ch: str) -> float:
        """Vertical advance of one upright character, in em."""
        h = self._heights[ord(ch)]
        return h if h is not None else _guess_height(ch)


def is_wide(ch: str) -> bool:
    """Characters a Chinese font sets 1 em wide (ideographs, full-width and ambiguous punctuation)."""
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def _guess_width(ch: str) -> float:
    # Upper bounds of bold sans fonts, so an unknown font can only come out smaller than planned.
    if is_wide(ch):
        return 1.0
    return 0.8 if ch.isupper() or ch in "@%&WMmw" else 0.62


def _guess_height(ch: str) -> float:
    # Fonts without vertical metrics advance upright Latin by their line height (about 1.2 em).
    return 1.0 if is_wide(ch) else 1.25


FALLBACK = Metrics()


@cache
def find_face(weight: str = "Bold", style: str = "Sans") -> Face | None:
    """The Noto Sans (or Serif) CJK SC face of a weight under the usual font folders, or None."""
    for folder in FONT_DIRS:
        if not folder.is_dir():
            continue
        for pattern in PATTERNS:
            for path in sorted(folder.rglob(pattern.replace("Sans", style).format(w=weight))):
                number = _sc_face_number(path, f"Noto {style} CJK SC")
                if number is not None:
                    return Face(str(path), number)
    return None


def sc_face(path: Path, style: str = "Sans") -> Face | None:
    """The Noto CJK SC face of one font file (a collection's SC member), or None when the file holds none."""
    number = _sc_face_number(path, f"Noto {style} CJK SC")
    return None if number is None else Face(str(path), number)


@cache
def find_file_face(filename: str, family: str) -> Face | None:
    """The face `family` of the font file `filename` under the usual font folders (e.g. ukai.ttc, AR PL UKai CN), or None."""
    for folder in FONT_DIRS:
        for path in sorted(folder.rglob(filename)) if folder.is_dir() else ():
            number = _sc_face_number(path, family)
            if number is not None:
                return Face(str(path), number)
    return None


def _sc_face_number(path: Path, family: str = FAMILY) -> int | None:
    """Index of the Simplified Chinese face in a font file (collections list JP, KR, SC, TC, HK), through the disk cache.

    Reading the collection's name tables meant importing fontTools on every build (~50 ms with the read); the
    answer changes only with the file, so it is kept by the file's path, size and modification time.
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    key = disk_cache.key_of("face-v1", str(path), family, str(stat.st_size), str(stat.st_mtime_ns))
    found = disk_cache.cached("faces", key, ".txt", lambda: str(_read_face_number(path, family)).encode())
    try:
        return None if found == b"None" else int(found)
    except ValueError:  # a damaged entry only costs the time it saved
        return _read_face_number(path, family)


def _read_face_number(path: Path, family: str) -> int | None:
    """_sc_face_number from the font file itself."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection

    try:
        if path.suffix.lower() == ".ttc":
            fonts = TTCollection(str(path), lazy=True).fonts
        else:
            fonts = [TTFont(str(path), lazy=True)]
        for i, font in enumerate(fonts):
            if font["name"].getDebugName(1) in (family, family.replace(" CJK", "")):
                return i if path.suffix.lower() == ".ttc" else -1
    except Exception:  # an unreadable font file is simply not our font
        return None
    return None


def _open(face: Face):
    from fontTools.ttLib import TTFont

    return TTFont(face.path, fontNumber=face.number, lazy=True)


@cache
def face_metrics(face: Face) -> Metrics:
    """Advance widths of every character the face maps, read once per process (through the disk cache)."""
    stat = os.stat(face.path)
    key = disk_cache.key_of("metrics-v1", face.path, str(face.number), str(stat.st_size), str(stat.st_mtime_ns),
                            disk_cache.versions("fonttools"))
    unpacked = _unpack_metrics(disk_cache.cached("metrics", key, ".bin", lambda: _pack_metrics(_read_metrics(face))))
    return unpacked if unpacked is not None else _read_metrics(face)  # a damaged entry only costs the time it saved


def read_face() -> None:
    """Find the poster face and read its metrics now, both kept for the process (a build does it while its workers load)."""
    face = find_face()
    if face is not None:
        face_metrics(face)


def _read_metrics(face: Face) -> Metrics:
    """Advance widths from the font file: fontTools reads 65,000 glyphs' cmap and metrics, ~0.3 s a build."""
    font = _open(face)
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    vmtx = font["vmtx"] if "vmtx" in font else None
    widths, heights = {}, {}
    for code, glyph in font.getBestCmap().items():
        widths[code] = hmtx[glyph][0] / upem
        if vmtx is not None:
            heights[code] = vmtx[glyph][0] / upem
    return Metrics(widths, heights, exact=True)


def _pack_metrics(m: Metrics) -> bytes:
    """Metrics as three arrays (code points, widths, heights with NaN where none): 0.9 MB read back in 9 ms."""
    known_widths, known_heights = m._widths.known(), m._heights.known()
    codes = array("I", sorted(known_widths))
    widths = array("d", (known_widths[c] for c in codes))
    heights = array("d", (known_heights.get(c, math.nan) for c in codes))
    return codes.tobytes() + widths.tobytes() + heights.tobytes()


def _unpack_metrics(data: bytes) -> Metrics | None:
    """The inverse of _pack_metrics; None for bytes it cannot have written."""
    codes, widths, heights = array("I"), array("d"), array("d")
    per = codes.itemsize + widths.itemsize + heights.itemsize
    if len(data) % per:
        return None
    n = len(data) // per
    codes.frombytes(data[: codes.itemsize * n])
    widths.frombytes(data[codes.itemsize * n: (codes.itemsize + widths.itemsize) * n])
    heights.frombytes(data[(codes.itemsize + widths.itemsize) * n:])
    return Metrics(Advances(codes=codes, values=widths), Advances(codes=codes, values=heights), exact=True)


@dataclass(frozen=True)
class FontFile:
    """A WOFF2 subset for the posters."""

    data: bytes
    chars: int

    @property
    def path(self) -> str:
        """Fingerprinted output path, like the other assets."""
        return f"assets/poster-font.{hashlib.sha256(self.data).hexdigest()[:10]}.woff2"

    def summary(self) -> str:
        """One line for the build log."""
        return f"poster font subset: {round(len(self.data) / 1024)} KB, {self.chars} characters"


def poster_font(chars: str, say=lambda msg: print(msg, file=sys.stderr)) -> tuple[Metrics, FontFile | None]:
    """Metrics and a WOFF2 subset holding exactly `chars`; says once what it made (or that fonts are missing)."""
    if not chars:
        return FALLBACK, None  # a site without posters needs no font
    face = find_face()
    if face is None:
        say(MISSING_NOTE)
        return FALLBACK, None
    chars = normal_chars(chars)
    key = cache_key(face, chars)
    data = disk_cache.read("fonts", key, ".woff2")
    made = data is None
    return face_metrics(face), _keep(key, chars, subset_woff2(face, chars) if data is None else data, made, say)


def _keep(key: str, chars: str, data: bytes, made: bool, say) -> FontFile:
    """A subset, stored in the disk cache when it was just made, and said once."""
    if made:
        disk_cache.write("fonts", key, ".woff2", data)
    font = FontFile(data, len(chars))
    say(font.summary())
    return font


def poster_font_later(chars: str, say=lambda msg: print(msg, file=sys.stderr)) -> tuple[Metrics, Callable[[], FontFile | None]]:
    """poster_font, with a subset that is not cached made in a forked process while the caller renders pages.

    Pages need only the metrics (of the whole face) and link the subset through a stable stylesheet, so a
    build can render while fonttools works (0.5 s or more) on the other core; call the second value for the file.
    """
    face = find_face() if chars else None
    # Forking a process that runs other threads can deadlock the child: then the subset is made here.
    if face is None or subset_ready(chars) or not hasattr(os, "fork") or threading.active_count() > 1:
        metrics, font = poster_font(chars, say)
        return metrics, lambda: font
    chars = normal_chars(chars)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: make the subset, hand its bytes back, and leave without running the parent's cleanup
        code = 1
        try:
            from ..lifeline import die_with_parent  # ctypes, ~2 ms: paid in the child only

            die_with_parent(signal.SIGKILL, parent)  # a killed build's subset is wanted by nobody
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(subset_woff2(face, chars))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def result() -> FontFile | None:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0:  # the child failed: make it here, so its error is raised where it can be reported
            data = subset_woff2(face, chars)
        return _keep(cache_key(face, chars), chars, data, True, say)

    return face_metrics(face), result


def subset_ready(chars: str) -> bool:
    """Whether poster_font(chars) can answer without running fonttools: no subset needed, or one is cached."""
    face = find_face() if chars else None
    if face is None:
        return True
    return disk_cache.has("fonts", cache_key(face, normal_chars(chars)), ".woff2")


def normal_chars(chars: str) -> str:
    return "".join(sorted(set(chars) - {"\n"}))


def cache_key(face: Face, chars: str) -> str:
    stat = Path(face.path).stat()
    libs = disk_cache.versions("fonttools", "brotli")  # the subsetter and the WOFF2 compressor
    parts = (SUBSET_VERSION, libs, face.path, face.number, stat.st_size, stat.st_mtime_ns, chars)
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def subset_woff2(face: Face, chars: str) -> bytes:
    """A WOFF2 of `face` with exactly the glyphs for `chars` (plus .notdef), TrueType outlines, no hinting."""
    import io

    from fontTools import subset

    opts = subset.Options()
    opts.font_number = max(face.number, 0)
    opts.hinting = False
    opts.desubroutinize = True
    opts.layout_features = list(opts.layout_features) + list(EXTRA_FEATURES)
    font = subset.load_font(face.path, opts)
    subsetter = subset.Subsetter(opts)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_truetype(font)
    _em_box_metrics(font)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _em_box_metrics(font) -> None:
    """Make the ascent and descent the ideographic em box (Noto's typo metrics, 0.88 and 0.12 em).

    Noto CJK's hhea metrics (1.16 + 0.29 em) are taller than a 1.3 line, so browsers
    would count the text as overflowing its box; with the em box, what the layout
    measures is what the ideographs occupy. Windows metrics stay, so nothing is clipped.
    """
    os2, hhea = font["OS/2"], font["hhea"]
    hhea.ascent, hhea.descent, hhea.lineGap = os2.sTypoAscender, os2.sTypoDescender, 0
    os2.sTypoLineGap = 0
    # an older OS/2 table (AR PL UKai's is version 1) lacks the fields of version 2 and later: zero is "not given"
    for name in ("ulCodePageRange1", "ulCodePageRange2", "sxHeight", "sCapHeight", "usDefaultChar", "usBreakChar", "usMaxContext"):
        if not hasattr(os2, name):
            setattr(os2, name, 0)
    os2.version = max(os2.version, 4)
    os2.fsSelection |= 1 << 7  # USE_TYPO_METRICS


def _cff_to_truetype(font) -> None:
    """Replace CFF outlines with quadratic TrueType ones (as fontTools' otf2ttf snippet does)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:  # CFF-only; vmtx top side bearings give the same vertical origins
        del font["VORG"]
    hmtx = font["hmtx"]
    for name in order:
        g = glyf[name]
        g.recalcBounds(glyf)
        hmtx[name] = (hmtx[name][0], getattr(g, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.recalc(font)
    font["post"].formatType = 3.0  # no glyph names: smaller, and CID names mean nothing to browsers
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
