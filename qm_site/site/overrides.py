"""The site's template overrides (templates/ beside content/): checked, listed, and their built-in originals recorded.

An override named like a built-in template replaces it; it may extend `builtin:NAME` and change blocks. `check`
reports its syntax errors at file:line, blocks that no template it extends has (a misspelt name would change
nothing), an override that extends itself, and a built-in template that changed since the override was made:
`templates --record` writes the built-in's SHA-256 beside the override, in the format of `sha256sum`
(`base.html.builtin.sha256` holds `<hash>  base.html`), so `sha256sum -c` in qm-site's templates folder checks it too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from ..errors import Collector
from ..i18n import N_
from ..source.look import EXAMPLES, RECORD, Look
from .render import BUILTIN, TEMPLATES


@dataclass(frozen=True)
class Listing:
    """One built-in template for `templates --list`: its blocks, and the site's override of it if any."""

    name: str
    blocks: tuple[str, ...]
    override: str | None  # the override's path, shown relative to the current folder where it can be
    changed: bool  # the built-in changed since the override recorded it (or nothing is recorded)


def builtin_names() -> list[str]:
    """qm-site's templates, by name."""
    return sorted(p.name for p in TEMPLATES.glob("*.html"))


def digest(name: str) -> str:
    """SHA-256 of a built-in template's bytes."""
    return hashlib.sha256((TEMPLATES / name).read_bytes()).hexdigest()


def _env() -> jinja2.Environment:
    """A bare environment that parses (never renders) the templates with the extensions the site uses."""
    return jinja2.Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)


def _parse(env: jinja2.Environment, path: Path, name: str, errors: Collector) -> nodes.Template | None:
    """The template's syntax tree; None with its syntax error recorded at file:line."""
    try:
        return env.parse(path.read_text(encoding="utf-8"), name, str(path))
    except jinja2.TemplateSyntaxError as exc:
        errors.add(str(path), exc.lineno or 0, 1 if exc.lineno else 0,
                   N_("template error: %(error)s", error=exc.message or str(exc)),
                   N_("check the template syntax near this line"))
    except UnicodeDecodeError:
        errors.add(str(path), 0, 0, N_("`%(name)s` is not UTF-8 text", name=name),
                   N_("save it as UTF-8 (VS Code: click the encoding in the status bar, Save with Encoding, UTF-8)"))
    return None


def _parent(tree: nodes.Template) -> str | None:
    """The constant name a template extends, if any."""
    for ext in tree.find_all(nodes.Extends):
        if isinstance(ext.template, nodes.Const) and isinstance(ext.template.value, str):
            return ext.template.value
    return None


def builtin_blocks(name: str, env: jinja2.Environment | None = None) -> tuple[str, ...]:
    """Every block a built-in template has, its own and those of the templates it extends."""
    env, found, seen = env or _env(), [], set()
    current: str | None = name
    while current and current not in seen and (TEMPLATES / current).is_file():
        seen.add(current)
        tree = env.parse((TEMPLATES / current).read_text(encoding="utf-8"))
        found += [b.name for b in tree.find_all(nodes.Block)]
        current = _parent(tree)
        current = current.removeprefix(BUILTIN + ":") if current else None
    return tuple(dict.fromkeys(found))


def check(look: Look, errors: Collector) -> None:
    """Every template of the site's templates/ parsed and its blocks and records checked; problems to `errors`.

    Changed built-ins are warnings: the site still builds, with the override as it is.
    """
    if look.templates is None:
        return
    env, builtins = _env(), set(builtin_names())
    for name in look.names:
        path = look.templates / name
        tree = _parse(env, path, name, errors)
        if tree is None:
            continue
        parent = _parent(tree)
        if parent is not None and parent == name and not name.startswith(EXAMPLES + "/"):
            errors.add(str(path), _line(tree, nodes.Extends), 1, N_("`%(name)s` extends itself", name=name),
                       N_("write {%% extends \"builtin:%(name)s\" %%} to start from qm-site's own %(name)s", name=name))
            continue
        if parent is not None:
            _check_blocks(env, tree, parent, path, errors)
        if name in builtins:
            _check_record(look.templates, name, errors)


def _line(tree: nodes.Template, kind: type[nodes.Node]) -> int:
    """The line of the first node of a kind."""
    found = next(iter(tree.find_all(kind)), None)
    return found.lineno if found is not None else 0


def _check_blocks(env: jinja2.Environment, tree: nodes.Template, parent: str, path: Path, errors: Collector) -> None:
    """Each block the override defines must exist in the built-in template it extends."""
    base = parent.removeprefix(BUILTIN + ":")
    if not (TEMPLATES / base).is_file():
        if parent.startswith(BUILTIN + ":"):
            errors.add(str(path), _line(tree, nodes.Extends), 1, N_("there is no built-in template `%(name)s`", name=base),
                       N_("run `python3 build.py templates --list` for the names"))
        return  # a template of the site's own: its blocks are its own business
    known = builtin_blocks(base, env)
    for block in tree.find_all(nodes.Block):
        if block.name not in known:
            errors.add(str(path), block.lineno, 1,
                       N_("%(name)s has no block `%(block)s`", name=base, block=block.name),
                       N_("use one of its blocks: %(blocks)s", blocks=", ".join(known)))


def record_path(templates: Path, name: str) -> Path:
    """Where the built-in template's hash is recorded beside its override."""
    return templates / (name + RECORD)


def recorded(templates: Path, name: str) -> str | None:
    """The hash recorded beside an override, or None."""
    path = record_path(templates, name)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace").split()
    return text[0] if text else ""


def _check_record(templates: Path, name: str, errors: Collector) -> None:
    """Warn when the built-in template an override replaces is not what it was made from (or that is unknown)."""
    was = recorded(templates, name)
    path = str(templates / name)
    if was is None:
        errors.add(path, 0, 0, N_("no record of which built-in %(name)s this override was made from", name=name),
                   N_("run `python3 build.py templates --record` to record it, so check can tell when qm-site changes it"),
                   severity="warning")
    elif was != digest(name):
        errors.add(path, 0, 0, N_("qm-site's own %(name)s changed since this override was made", name=name),
                   N_("compare it with qm_site/templates/%(name)s (git diff), bring the override up to date, then run "
                      "`python3 build.py templates --record`", name=name), severity="warning")


def record(look: Look) -> list[Path]:
    """Write the built-in template's hash beside every override of one; the files written."""
    if look.templates is None:
        return []
    written, builtins = [], set(builtin_names())
    for name in look.names:
        if name in builtins:
            path = record_path(look.templates, name)
            path.write_text(f"{digest(name)}  {name}\n", encoding="utf-8")
            written.append(path)
    return written


def listing(look: Look) -> list[Listing]:
    """Every built-in template with its blocks and the site's override of it."""
    own = set(look.names)
    out = []
    for name in builtin_names():
        override = str(look.templates / name) if look.templates is not None and name in own else None
        changed = override is not None and look.templates is not None and recorded(look.templates, name) != digest(name)
        out.append(Listing(name, builtin_blocks(name), override, changed))
    return out
