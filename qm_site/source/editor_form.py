"""The one form the web editor (Decap CMS) saves a YAML file in, and its writer run over a text.

Decap saves a whole file with the npm `yaml` package: top-level keys in the order of the form's fields, every list
in block style, long text re-wrapped, comments dropped. The editor's own writer (admin/canonical.js, with the `yaml`
package decap-cms-core uses, in node) gives that form; nothing is put in it when the editor's reader would read a
value differently from `check` (a leading zero, a value the `yaml` package parses otherwise): both texts are read
with our loader and must mean the same. `fmt` (authoring) applies it to content/, `import` to the file it writes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Collector, Problem, QmError
from ..i18n import N_
from . import yamlio
from .schema import fields

SCRIPT = Path(__file__).resolve().parent.parent / "admin" / "canonical.js"
DECAP_CORE = Path("node_modules") / "decap-cms-core" / "package.json"  # where `npm ci` puts it, in the folder the command runs in
INSTALL = N_("install Node.js and npm (Debian: apt-get install nodejs npm), then run `npm ci` in this folder")


def form_keys(cls) -> list[str]:
    """The keys of a file in the order of the form's fields (Decap sorts a file's top-level keys so; admin.py makes the
    form's fields from the same model, in this order)."""
    return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class Source:
    """One content file: its path as shown, its text, and the form's key order."""

    path: Path
    shown: str
    text: str
    keys: tuple[str, ...]


def requirements(cwd: Path | None = None) -> tuple[str, Path]:
    """node and the folder whose node_modules/ holds Decap; one clear error when either is missing."""
    node = shutil.which("node")
    if node is None:
        raise QmError.at("fmt", 0, 0, N_("fmt runs the web editor's YAML writer, which needs Node.js: `node` was not found"),
                         INSTALL)
    root = (cwd or Path.cwd()).resolve()
    if not (root / DECAP_CORE).is_file():
        raise QmError.at("fmt", 0, 0, N_("fmt needs the npm package decap-cms-core (the web editor), which is not installed"),
                         INSTALL)
    return node, root


def available(cwd: Path | None = None) -> bool:
    """Whether the editor's writer can run here (node, and decap-cms-core in node_modules/)."""
    return shutil.which("node") is not None and ((cwd or Path.cwd()) / DECAP_CORE).is_file()


def editor_texts(sources: list[Source], node: str, root: Path) -> list[dict]:
    """Each source as the editor would save it: {"text": …} or {"error": {"message", "line", "column"}}, in order."""
    if not sources:
        return []
    request = {"files": [{"name": s.shown, "text": s.text, "keys": list(s.keys)} for s in sources]}
    done = subprocess.run([node, str(SCRIPT), str(root)], input=json.dumps(request, ensure_ascii=False),
                          capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode != 0:
        raise QmError(Problem("fmt", 0, 0,
                              N_("the web editor's YAML writer failed (node exit status %(code)s)", code=done.returncode),
                              N_("run `npm ci` again; the detail (--verbose) says what node printed"), detail=done.stderr.strip()))
    return json.loads(done.stdout)["results"]


def meaning(node: yamlio.Node | None):
    """What a loaded value means to `check`: mappings by key, lists in order, numbers as written, other scalars by value."""
    if node is None:
        return None
    if node.kind == "mapping":
        return {k: meaning(v) for k, v in node.value.items()}
    if node.kind == "sequence":
        return [meaning(v) for v in node.value]
    # A text field takes a number as it was written (0756 keeps its zero), so a number's digits are its meaning.
    return (node.tag, node.text if node.tag in ("int", "float") else node.value)


def first_change(before: yamlio.Node, after: yamlio.Node | None) -> tuple[yamlio.Node, str]:
    """Where the meaning of `before` and `after` first differs: the node of `before` there, and what it became."""
    if after is None or before.kind != after.kind:
        return before, "" if after is None else _shown(after)
    if before.kind == "mapping":
        for key, value in before.value.items():
            if key not in after.value:
                return value, ""
            if meaning(value) != meaning(after.value[key]):
                return first_change(value, after.value[key])
        return before, _shown(after)
    if before.kind == "sequence":
        for old, new in zip(before.value, after.value):
            if meaning(old) != meaning(new):
                return first_change(old, new)
        return before, _shown(after)
    return before, _shown(after)


def _shown(node: yamlio.Node) -> str:
    """A value as messages quote it."""
    return node.text if node.kind == "scalar" else json.dumps(node.plain(), ensure_ascii=False)[:60]


def _changed_meaning(source: Source, before: yamlio.Node, after: yamlio.Node | None) -> Problem:
    """The problem of a file the editor's writer would change the meaning of."""
    node, became = first_change(before, after)
    was = _shown(node)
    return Problem(source.shown, node.line, node.column,
                   N_("the web editor would save `%(was)s` here as `%(became)s`, which means something else; "
                      "the file was not rewritten", was=was, became=became),
                   N_("put the value in double quotes (\"%(was)s\") so that both read it as written, then run fmt again", was=was))


_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # only node spans are wanted here, which libyaml gives alike
_HASH = re.compile(r"(?:^|(?<=[ \t]))#", re.M)


def comments(text: str) -> list[tuple[int, int]]:
    """(line, column) of each comment: a `#` at a line's start or after a space that no scalar holds. Call on loadable text."""
    spans: list[tuple[int, int]] = []
    todo = [yaml.compose(text, Loader=_COMPOSER)]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.MappingNode):
            todo.extend(x for pair in node.value for x in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    found: dict[int, int] = {}
    for m in _HASH.finditer(text):
        if not any(start <= m.start() < end for start, end in spans):
            line = text.count("\n", 0, m.start()) + 1
            found.setdefault(line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1)  # the comment's first #
    return list(found.items())


def _comment_problems(source: Source) -> list[Problem]:
    """A problem at each comment: the editor's writer drops them, so what one says must first move into `notes`."""
    return [Problem(source.shown, line, column, N_("a comment: the web editor deletes comments when it saves, so fmt "
                                                   "does too and stops here to keep what it says"),
                    N_("move what it says into `notes:` (a list of the editors' notes, never published) and delete the "
                       "comment; a line `# yaml-language-server: $schema=…` can go: .vscode/settings.json names the schema"))
            for line, column in comments(source.text)]


@dataclass(frozen=True)
class Outcome:
    """What examine found: the files not in the editor's form (rewritten unless --check), and how many were looked at."""

    changed: list[Source]
    texts: dict[Path, str]
    total: int


def examine(sources: list[Source], node: str, root: Path) -> Outcome:
    """Every source in the editor's form; QmError (nothing written) if a file cannot be read or would change meaning."""
    errors = Collector()
    readable: list[tuple[Source, yamlio.Node]] = []
    for s in sources:
        try:
            before = yamlio.load(s.text, s.shown)
        except QmError as exc:
            errors.extend(exc.problems)
            continue
        if before is None:
            errors.add(s.shown, 1, 1, N_("the file is empty"),
                       N_("fill it in (`python3 build.py check` says what it needs), or delete it"))
            continue
        errors.extend(_comment_problems(s))
        readable.append((s, before))
    results = editor_texts([s for s, _ in readable], node, root)
    changed, texts = [], {}
    for (s, before), result in zip(readable, results):
        if "error" in result:
            e = result["error"]
            errors.add(s.shown, e["line"], e["column"],
                       N_("the web editor cannot read this file: %(reason)s", reason=e["message"]),
                       N_("fix the YAML here; `python3 build.py check` explains most mistakes"))
            continue
        text = result["text"]
        after = yamlio.load(text, s.shown)
        if meaning(before) != meaning(after):
            errors.problems.append(_changed_meaning(s, before, after))
            continue
        if text != s.text:
            changed.append(s)
            texts[s.path] = text
    errors.raise_if_any()
    return Outcome(changed, texts, len(sources))


def in_editor_form(text: str, cls, shown: str) -> str:
    """A new file's text as the web editor saves it; QmError when it has comments or the writer would change its meaning."""
    node, root = requirements()
    source = Source(Path(shown), shown, text, tuple(form_keys(cls)))
    return examine([source], node, root).texts.get(source.path, text)
