"""Command line: build (default), check, fmt, schema, serve, new, import, inbox, pdf, nginx.

Every command prints problems once, as `file:line:col: error: message` with a hint,
and exits 1 without a traceback; heavy modules are imported only by the commands
that need them so `check` and `build` start fast.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from .errors import Collector, Problem, QmError
from .i18n import N_, normalize, translate, translations, user_lang

DEFAULT_CONTENT = "content"
DEFAULT_OUT = "public"
REVIEW_OUT = "review"  # `pdf --drafts` writes here: drafts never go into the published folder


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qm-site", description="Static site generator for Quality Month (质量月) campaigns.")
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command")

    b = sub.add_parser("build", help="build the site into public/ (the default command)")
    _content_opt(b)
    b.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="output folder (default: public/)")
    b.add_argument("--drafts", action="store_true", help="include campaigns marked draft: true")
    b.add_argument("--no-search", dest="search", action="store_false",
                   help="leave out the search index (Pagefind): a quicker build to look at; deploys always make it")
    b.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    _look_opt(b)

    c = sub.add_parser("check", help="validate the content and report every problem")
    _content_opt(c)
    _look_opt(c)

    _file_parsers(sub)

    s = sub.add_parser("serve", help="live preview with automatic rebuild and reload")
    _content_opt(s)
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--cms", action="store_true",
                   help="also run Decap's local backend: /admin/ edits the files on disk (needs node, npm ci --ignore-scripts)")
    s.add_argument("--out", default=None, metavar="DIR", help="where to build (default: a temporary folder)")
    _look_opt(s)

    n = sub.add_parser("new", help="start next year's campaign from an existing one")
    _content_opt(n)
    n.add_argument("campaign_id", help="id of the new campaign, e.g. 2023-national")
    n.add_argument("--from", dest="source", required=True, help="id of the campaign to copy, e.g. 2022-national")

    i = sub.add_parser("import", help="turn a received notice (.docx, .pdf, .txt/.md, or - for pasted text) into a draft campaign")
    _content_opt(i)
    i.add_argument("notice", metavar="NOTICE", help="the file received: .docx, .pdf, .txt or .md; - reads pasted text")
    i.add_argument("--id", dest="campaign_id", required=True, help="id of the new campaign, e.g. 2023-national")

    _content_opt(sub.add_parser("inbox", parents=[_inbox_parser()], help=_INBOX_HELP))
    _output_parsers(sub)
    return p


def _file_parsers(sub) -> None:
    """The commands about the site's own files: templates, fmt and schema."""
    t = sub.add_parser("templates", help="list the built-in templates, their blocks and the site's overrides of them")
    _content_opt(t)
    _look_opt(t)
    t.add_argument("--list", action="store_true", help="list them (the default)")
    t.add_argument("--record", action="store_true",
                   help="record beside each override the hash of the built-in template it replaces "
                        "(check then says when that changes)")

    f = sub.add_parser("fmt", help="rewrite content/'s YAML files in the form the web editor saves (needs node, npm ci)")
    _content_opt(f)
    f.add_argument("--check", action="store_true", help="change nothing; exit 1 naming each file not in that form")

    sub.add_parser("schema", help="print the JSON Schema of campaign.yaml (use --site for site.yaml)").add_argument(
        "--site", action="store_true", help="print the schema of site.yaml instead")


def _output_parsers(sub) -> None:
    """The commands that write for hosting and printing: nginx and pdf."""
    x = sub.add_parser("nginx", help="print an nginx server block that serves the built site with netlify.toml's headers")
    _content_opt(x)
    x.add_argument("--root", default=None, metavar="DIR", help="the built site's folder on the server (default: public/ here)")
    x.add_argument("--listen", default="80", help="nginx's listen address (default: 80)")
    x.add_argument("--server-name", default=None, help="the site's host name (default: base_url's in site.yaml)")
    d = sub.add_parser("pdf", help="write print-ready poster PDFs (PDF/X-1a) and each notice as a 公文 PDF")
    _content_opt(d)
    d.add_argument("--out", default=None, metavar="DIR",
                   help="site folder to write pdf/ into (default: public/, or review/ with --drafts)")
    d.add_argument("--drafts", action="store_true",
                   help="also print campaigns marked draft: true, each page marked 草稿, for internal review (into review/)")
    d.add_argument("--campaign", default=None, help="only this campaign id")
    d.add_argument("--format", dest="formats", action="append", default=None,
                   help="only this poster format (repeatable; posters only)")
    _look_opt(d)


def _content_opt(sp: argparse.ArgumentParser) -> None:
    """The options every command that reads the content folder has."""
    sp.add_argument("--content", default=DEFAULT_CONTENT, metavar="DIR", help="content folder (default: content/)")
    sp.add_argument("--verbose", "-v", action="store_true", help="also show what the YAML parser itself said")
    sp.add_argument("--lang", default=None, type=_lang_arg, help="language of messages: zh_CN or en (default: from LANG)")


def _look_opt(sp: argparse.ArgumentParser) -> None:
    """The options of commands that use the site's own look (templates/ and assets/ beside content/)."""
    sp.add_argument("--templates", default=None, metavar="DIR",
                    help="the site's template overrides (default: templates/ beside the content folder, if there is one)")
    sp.add_argument("--assets", default=None, metavar="DIR",
                    help="the site's own assets, published beside qm-site's (default: assets/ beside the content folder, if any)")


def _look(args) -> tuple:
    """The --templates and --assets folders given (None: found beside the content folder)."""
    return args.templates, args.assets


_INBOX_HELP = "carry out the web editor's requests in inbox/ (新建活动, 导入通知): run by the repository's workflow"


def _inbox_parser() -> argparse.ArgumentParser:
    """`inbox`'s own option (a parent parser: _parser is long enough)."""
    x = argparse.ArgumentParser(add_help=False)
    x.add_argument("--inbox", default="inbox", metavar="DIR", help="the requests' folder (default: inbox/)")
    return x


class _VersionAction(argparse.Action):
    """--version: prints _version() and exits; worked out only when asked (importlib.metadata: ~25 ms a start)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0,
                         help="show program's version number and exit", **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(_version())
        parser.exit()


def _version() -> str:
    """`qm-site 0.1.0 (Python 3.11.7, /path/.venv)`: which release, and which environment it runs in."""
    from importlib import metadata

    try:
        release = metadata.version("qm-site")
    except metadata.PackageNotFoundError:
        release = "(not installed)"
    return f"qm-site {release} (Python {sys.version.split()[0]}, {sys.prefix})"


def main(argv: list[str] | None = None) -> int:
    """Run a command; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in _COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "build")  # `python build.py [--out DIR]` means build
    args = _parser().parse_args(argv)
    command = args.command
    lang = user_lang(getattr(args, "lang", None))
    verbose = getattr(args, "verbose", False)
    try:
        return _COMMANDS[command](args)
    except QmError as exc:
        return _report(exc.problems, lang, verbose)
    except OSError as exc:  # one the stages did not word themselves (e.g. `new` in a read-only folder): still one line
        return _report([Problem(exc.filename or "qm-site", 0, 0,
                                N_("the operating system refused: %(reason)s", reason=exc.strerror or str(exc)),
                                N_("check the path, its permissions and the free disk space, then run the command again"))],
                       lang, verbose)
    except KeyboardInterrupt:
        return 130


def _report(problems: list[Problem], lang: str, verbose: bool) -> int:
    """Print every problem once, then the count; the exit code of a failed command."""
    for problem in problems:
        print(problem.format(lang, verbose), file=sys.stderr)
    n = len(problems)
    print(translations(lang).ngettext("%(num)d problem found; nothing was changed.",
                                      "%(num)d problems found; nothing was changed.", n) % {"num": n}, file=sys.stderr)
    return 1


@contextmanager
def _importing() -> Iterator[None]:
    """Import a command's modules out of the way of Python's cyclic garbage collector.

    They make some 200,000 objects (classes, functions, compiled patterns) that live as long as the process and
    next to no garbage, yet the collector went over them ~50 times while they were imported and again during the
    build: ~8 ms of every start-up. Paused meanwhile, and what a first import made then frozen (gc.freeze), it
    leaves them alone; imports that find the modules loaded already (a test, the dev server) change nothing.
    """
    loaded = len(sys.modules)
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) > loaded:
            gc.freeze()
        if enabled:
            gc.enable()


def _check(args) -> int:
    with _importing():
        from .source import content

    lang = user_lang(args.lang)
    t = translations(lang)
    loaded = content.load(args.content, drafts=True, look=_look(args))
    warnings = list(loaded.warnings)
    if loaded.look.templates is not None:
        from .errors import Collector
        from .site import overrides

        found = Collector()
        overrides.check(loaded.look, found)
        found.raise_if_any()
        warnings += found.warnings
    for w in warnings:
        print(w.format(lang, args.verbose), file=sys.stderr)
    n, warned = len(loaded.entries), len(warnings)
    line = t.ngettext("%(folder)s: %(num)d campaign OK", "%(folder)s: %(num)d campaigns OK", n) % {"folder": args.content, "num": n}
    if warned:
        line += t.ngettext(", %(num)d warning", ", %(num)d warnings", warned) % {"num": warned}
    print(line)
    return 0


def _lang_arg(value: str) -> str:
    """--lang: a supported language, written as zh_CN, zh-CN, zh, en..."""
    lang = normalize(value)
    if lang is None:
        raise argparse.ArgumentTypeError(f"unsupported language {value!r}: use zh_CN or en")
    return lang


def _fmt(args) -> int:
    with _importing():
        from .authoring import fmt

    outcome = fmt.fmt(args.content, check=args.check)
    t = translations(user_lang(args.lang))
    n = len(outcome.changed)
    if args.check:
        print(t.ngettext("%(folder)s: %(num)d file in the web editor's form", "%(folder)s: %(num)d files in the web editor's form",
                         outcome.total) % {"folder": args.content, "num": outcome.total})
        return 0
    for s in outcome.changed:
        print(t.gettext("rewrote %(path)s") % {"path": s.shown})
    print(t.ngettext("%(num)d file rewritten, %(same)d already in the web editor's form",
                     "%(num)d files rewritten, %(same)d already in the web editor's form", n)
          % {"num": n, "same": outcome.total - n})
    return 0


def _schema(args) -> int:
    with _importing():
        from .source import model, schema

    print(json.dumps(schema.json_schema(model.Site if args.site else model.Campaign), ensure_ascii=False, indent=2))
    return 0


def _build(args) -> int:
    with _importing():
        from .site import builder

    report = builder.build(args.content, args.out, drafts=args.drafts, search=args.search, look=_look(args))
    if not args.quiet:
        print(report.summary())
    for note in report.notes:
        print(f"note: {translate(note, user_lang(args.lang))}", file=sys.stderr)
    return 0


def _serve(args) -> int:
    with _importing():
        from .authoring import serve

    return serve.serve(args.content, port=args.port, out=args.out, cms=args.cms, look=_look(args))


def _new(args) -> int:
    with _importing():
        from .authoring import scaffold

    print(scaffold.new_campaign(args.content, args.campaign_id, args.source))
    return 0


def _import(args) -> int:
    with _importing():
        from .importing import import_notice

    lang = user_lang(args.lang, fallback=_site_lang(Path(args.content)))
    report = import_notice(args.notice, args.campaign_id, args.content, lang).report(lang)
    try:
        print(report, flush=True)
    except BrokenPipeError:
        # The reader went away (`import … | head`) after the folder was written: the import is done, so this is no
        # failure to report as "nothing was changed"; what is left of the report goes nowhere, and exit says no more.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # open until the process ends
    return 0


def _inbox(args) -> int:
    with _importing():
        from pathlib import Path

        from .authoring import inbox

    lines, ok = inbox.process(Path(args.inbox), Path(args.content), user_lang(args.lang))
    print("\n".join(lines) or translate(N_("no requests in %(folder)s/", folder=args.inbox), user_lang(args.lang)))
    return 0 if ok else 1


def _site_lang(content_dir: Path) -> str:
    """The site's own language (site.yaml `language`), or English when site.yaml is missing or not valid yet."""
    from .source.content import SITE_FILE, parse_site

    path = content_dir / SITE_FILE
    if not path.is_file():
        return "en"
    # Only a preference for the report's language: what is wrong with site.yaml is `check`'s to say, not import's.
    site = parse_site(path.read_text(encoding="utf-8", errors="replace"), str(path), Collector())
    return site.language if site else "en"


def _nginx(args) -> int:
    with _importing():
        from urllib.parse import urlsplit

        from .site import builder, nginx
        from .source import content as content_mod

    content = content_mod.load(args.content)
    root = args.root or str(Path(DEFAULT_OUT).resolve())
    name = args.server_name or urlsplit(content.site.base_url).hostname or "_"
    print(nginx.server_block(root, builder.redirects_text(content), name, args.listen), end="")
    return 0


def _pdf(args) -> int:
    with _importing():
        from .commands import pdf

    out = args.out or (REVIEW_OUT if args.drafts else DEFAULT_OUT)
    if args.drafts and Path(out).resolve() == Path(DEFAULT_OUT).resolve():
        raise QmError.at("--out", 0, 0,
                         N_("drafts are never printed into %(folder)s/, the folder that is published", folder=DEFAULT_OUT),
                         N_("leave out --out (drafts go into %(review)s/), or name another folder", review=REVIEW_OUT))
    report = pdf.build_pdfs(args.content, out, campaign=args.campaign, formats=args.formats, drafts=args.drafts, look=_look(args))
    print(report)
    return 0


def _templates(args) -> int:
    with _importing():
        from .errors import Collector
        from .site import overrides
        from .source import look as look_mod

    t = translations(user_lang(args.lang))
    found = Collector()
    look = look_mod.read(Path(args.content), found, *_look(args))
    if args.record:
        written = overrides.record(look)
        for path in written:
            print(t.gettext("recorded %(path)s") % {"path": path})
        if not written:
            print(t.gettext("no overrides of built-in templates to record"))
        return 0
    for item in overrides.listing(look):
        changed = " " + t.gettext("(built-in changed)") if item.changed else ""
        state = "" if item.override is None else "  <- " + item.override + changed
        print(f"{item.name}{state}")
        print("    " + (", ".join(item.blocks) or "-"))
    if look.templates is None:
        print(t.gettext("no templates/ folder beside %(folder)s: nothing is overridden") % {"folder": args.content})
    return 0


_COMMANDS = {"build": _build, "check": _check, "templates": _templates, "fmt": _fmt, "schema": _schema, "serve": _serve,
             "new": _new, "import": _import, "inbox": _inbox, "pdf": _pdf,
             "nginx": _nginx}


def main_exit() -> None:
    """Console-script entry point (`qm-site`)."""
    exit_now(main())


def exit_now(code: int) -> NoReturn:
    """End the process with `code`, without the interpreter's teardown when nothing else runs in it.

    Freeing every module and object one by one took ~30 ms after a build, memory the operating system takes
    back at once (mypy ends its runs the same way). A thread still running (a server stopping) is waited for
    by the normal exit, and a tracer or profiler (coverage, cProfile) writes its data there.
    """
    if threading.active_count() > 1 or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said on it
            pass
    os._exit(code)
