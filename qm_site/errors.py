"""The one error type of qm-site, and a collector that raises many at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import N_, translate

_LABELS = {"error": N_("error"), "warning": N_("warning")}
_HINT = N_("hint")


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, located at path:line:column (1-based)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"
    detail: str = ""  # what a library said (the YAML parser's English), shown only with --verbose

    def format(self, lang: str | None = None, verbose: bool = False) -> str:
        """Render as `path:line:col: error: message` plus an indented hint, in English or in `lang`."""
        def tr(text: str) -> str:
            return translate(text, lang) if lang else str(text)

        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        text = f"{where}: {tr(_LABELS.get(self.severity, self.severity))}: {tr(self.message)}"
        if self.hint:
            text += f"\n    {tr(_HINT)}: {tr(self.hint)}"
        if verbose and self.detail:
            text += f"\n    ({self.detail})"
        return text


class QmError(Exception):
    """Raised for bad input; carries every problem found, printed once by the CLI."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @classmethod
    def at(cls, path: str, line: int, column: int, message: str, hint: str = "") -> QmError:
        """Build an error about a single location."""
        return cls(Problem(str(path), line, column, message, hint))


@dataclass
class Collector:
    """Gathers problems so that validation reports all of them in one run."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, path, line, column, message, hint="", severity="error") -> None:
        """Record one problem."""
        self.problems.append(Problem(str(path), line, column, message, hint, severity))

    def extend(self, problems) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the input invalid (not warnings)."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth telling but not fatal."""
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_any(self) -> None:
        """Raise a QmError with every error collected, if there is one."""
        if self.errors:
            raise QmError(self.errors)
