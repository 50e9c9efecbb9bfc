"""Languages: the gettext catalogs (compiled in memory from the .po files) and the user's language.

Messages of `check` are built in English with `N_(template, **params)`, which keeps the
template and its parameters, so pure code stays free of any language and the command
line translates each message only when it prints it (`translate(message, lang)`).
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("zh_CN", "en")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Compile the locale's .po (never a hand-edited .mo), through the disk cache; English falls back to msgids.

    The compiled catalog is read by the standard library's gettext, which Babel's Translations extends with
    methods nothing here calls: with the catalog cached, a command imports no Babel (~7 ms of every start-up).
    """
    from . import cache as disk_cache

    digest = catalog_digest(lang)
    if not digest:
        return gettext.NullTranslations()
    key = disk_cache.key_of("mo-v1", lang, digest, disk_cache.installed_version("babel") or "")
    # Babel's .po parser takes ~40 ms a language, on every command: the compiled catalog is kept by the .po's digest.
    mo = disk_cache.cached("mo", key, ".mo", lambda: _compile_po(po_file(lang).read_bytes(), lang))
    return gettext.GNUTranslations(io.BytesIO(mo))


def po_file(lang: str) -> Path:
    """The language's catalog source."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog_digest(lang: str) -> str:
    """SHA-256 of the language's .po ('' without one): the key of what is made from it (compiled catalog, templates)."""
    po = po_file(lang)
    return hashlib.sha256(po.read_bytes()).hexdigest() if po.is_file() else ""


def _compile_po(source: bytes, lang: str) -> bytes:
    """The .mo bytes of a .po file's text (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    buf = io.BytesIO()
    write_mo(buf, read_po(io.BytesIO(source), locale=lang), use_fuzzy=False)
    return buf.getvalue()


def gettext_for(lang: str) -> Callable[[str], str]:
    """The gettext function of one language, to bind as `_` where a page is shaped."""
    return translations(lang).gettext


def babel_locale(lang: str) -> str:
    """Babel locale for a site language."""
    return "zh_Hans_CN" if lang == "zh_CN" else "en"


def normalize(tag: str) -> str | None:
    """A site language from a locale name (zh, zh-CN, zh_CN.UTF-8, en_GB...), or None if unsupported."""
    base = tag.split(".")[0].split("@")[0].replace("-", "_").lower()
    if base.startswith("zh"):
        return "zh_CN"
    if base.startswith("en") or base in ("c", "posix"):
        return "en"
    return None


def user_lang(explicit: str | None = None, environ: Mapping[str, str] | None = None, fallback: str = "en") -> str:
    """The language of terminal messages: --lang, else LC_ALL, LC_MESSAGES, LANG (POSIX order); `fallback` when
    these name neither Chinese nor English (or none is set)."""
    if explicit:
        return normalize(explicit) or "en"
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var):
            return normalize(env[var]) or fallback
    return fallback


class Msg(str):
    """English text that remembers its gettext template and parameters, to be translated when shown."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, params: dict[str, Any]) -> Msg:
        obj = super().__new__(cls, template % params if params else template)
        obj.template, obj.params = template, params
        return obj

    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # type: ignore[override]  # copy and pickle rebuild from the template
        return (self.template, self.params)


def N_(template: str, **params: Any) -> Msg:
    """Mark a message for extraction; it reads as English until `translate` shows it in another language."""
    return Msg(template, params)


def translate(text: str, lang: str) -> str:
    """Text in `lang`: a Msg and its Msg parameters go through the catalog; plain text is returned as it is."""
    if not isinstance(text, Msg):
        return str(text)
    params = {k: translate(v, lang) if isinstance(v, Msg) else v for k, v in text.params.items()}
    template = translations(lang).gettext(text.template)
    return template % params if params else template
