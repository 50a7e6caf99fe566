"""The one exception hierarchy of the library.

Every error a user can cause is a `GlossaryError` whose message says what is
wrong and how to fix it. The command line turns these into one `Error: ...`
line and exit status 1 (see `glossary.cli`); anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, with enough location to fix it."""

    path: str
    line: int | None
    message: str
    column: int | None = None
    column_name: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: "
        if self.column_name:
            text += f"[{self.column_name}] "
        text += self.message
        if self.hint:
            text += f" (fix: {self.hint})"
        return text


class GlossaryError(Exception):
    """Base class: a problem the user can fix; the message says how."""


class FileProblems(GlossaryError):
    """A file has one or more located problems (termbase, import file...)."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        self.summary = summary
        self.problems = list(problems)
        lines = [summary]
        shown = self.problems[:50]
        lines.extend(f"  {p}" for p in shown)
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        super().__init__("\n".join(lines))


class TermbaseFormatError(FileProblems):
    """The termbase file does not load; it is never rewritten in this state."""


class TermbaseNotFound(GlossaryError):
    """No termbase where one was expected."""


class UnknownTerm(GlossaryError):
    """No concept with that id or term."""


class DuplicateTerm(GlossaryError):
    """A Dutch term or variant is already claimed by another concept."""


class InvalidValue(GlossaryError):
    """A value given on the command line or through the API is not valid."""


class OptionConflict(InvalidValue):
    """Options that cannot be used together (the command line's usage error, exit 2)."""


class LockTimeout(GlossaryError):
    """Another process holds the termbase lock for too long."""


class TermbaseChanged(GlossaryError):
    """Another program kept changing the termbase while a command updated it;
    nothing was written."""


class InputError(GlossaryError):
    """An input document cannot be read (missing, binary, bad encoding...)."""


class OutputError(GlossaryError):
    """An output file cannot be written."""


class UnknownFormat(GlossaryError):
    """A file format that is not known or cannot be inferred."""


class ImportFormatError(FileProblems):
    """A file to import is broken or hostile; nothing was imported."""


class ModelError(GlossaryError):
    """A translation model package is missing, broken or refused."""


class ModelNotInstalled(ModelError):
    """No package for the language pair is installed."""


class UnreadableFile(FileProblems):
    """A file is broken, too large or hostile (XML entities); it was not used."""


class ImportConflict(FileProblems):
    """An import met conflicts under --on-conflict fail; the termbase is unchanged."""


class ConcurrentEdit(GlossaryError):
    """A concept changed (another command or page) after it was read; nothing was written."""


class ServerError(GlossaryError):
    """The local web workbench cannot start (the port is taken, the host is unknown...)."""


class BackendError(GlossaryError):
    """A distributed backend cannot be used (Ray missing, cluster unreachable, a worker failed)."""
