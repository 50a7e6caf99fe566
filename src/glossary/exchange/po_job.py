"""PO and POT files as translation jobs: entries read, `msgstr`s written back in place.

Reading (`read_job`, by polib through `glossary.exchange.po`'s guarded
loader): every entry but the header and obsolete ones is a segment; a
plural entry is one segment per form (`msgstr[n]`, its source `msgid` for
n = 0 and `msgid_plural` for the others), the number of forms from the
`Plural-Forms` header (2 when it says nothing; a POT file has its forms
made). Status: empty `msgstr` → new, `#, fuzzy` → draft, else translated.
Languages: `Language` (the target) and `X-Source-Language` (Weblate,
Poedit), else the `Language-Team` name.

Writing (`write_job`): the text of the file is kept line for line; only the
`msgstr` lines of the entries that get a translation are written again,
with `#, fuzzy` added for machine translation (removed for a translation
marked "translated"), and the glossary's `#. Term: …` hints replaced. Line
endings, wrapping and comments of every other line stay as they were.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

from glossary.document import BilingualUnit
from glossary.errors import Problem, UnreadableFile
from glossary.exchange.jobs import Job, JobSegment, Status, TargetUpdate

if TYPE_CHECKING:
    import polib

HINT_PREFIX: Final = "#. Term: "
_NPLURALS: Final = re.compile(r"nplurals\s*=\s*(\d+)")


def _nplurals(po: polib.POFile) -> int:
    found = _NPLURALS.search(po.metadata.get("Plural-Forms", ""))
    return max(1, min(int(found.group(1)), 6)) if found else 2


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete and e.msgid]


def _status(text: str, fuzzy: bool) -> Status:
    if not text.strip():
        return "new"
    return "draft" if fuzzy else "translated"


def read_job(data: bytes, name: str) -> Job:
    """The segments of a PO or POT file (see the module doc)."""
    from glossary.exchange.po import _charset, _load
    from glossary.exchange.registry import decode_text

    po = _load(data, name)
    forms = _nplurals(po)
    # the text polib read, to point at the msgid and msgstr[n] lines
    lines = decode_text(data, name, _charset(data)).split("\n")
    segments: list[JobSegment] = []
    for index, entry in enumerate(_entries(po)):
        fuzzy = "fuzzy" in entry.flags
        notes = tuple(entry.comment.splitlines()) if entry.comment else ()
        notes += tuple(entry.tcomment.splitlines()) if entry.tcomment else ()
        msgid_line = _locate(lines, entry.linenum, "msgid") or entry.linenum or None
        occurrence = entry.occurrences[0] if entry.occurrences else None
        common = {
            "unit_id": entry.msgctxt or "",
            "origin": f"{occurrence[0]}:{occurrence[1]}" if occurrence else "",
            "notes": notes,
            "merge_key": entry.msgctxt or "",
        }
        if entry.msgid_plural:
            numbers = sorted(set(entry.msgstr_plural) | set(range(forms)))
            for n in numbers:
                text = entry.msgstr_plural.get(n, "")
                segments.append(
                    JobSegment(
                        key=f"e{index}p{n}",
                        number=n + 1,
                        source=entry.msgid if n == 0 else entry.msgid_plural,
                        target=text,
                        has_target=True,
                        state="fuzzy" if fuzzy else "",
                        status=_status(text, fuzzy),
                        plural=n,
                        line=_locate(lines, entry.linenum, f"msgstr[{n}]") or msgid_line,
                        **common,  # type: ignore[arg-type]
                    )
                )
            continue
        segments.append(
            JobSegment(
                key=f"e{index}",
                number=1,
                source=entry.msgid,
                target=entry.msgstr,
                has_target=True,
                state="fuzzy" if fuzzy else "",
                status=_status(entry.msgstr, fuzzy),
                line=msgid_line,
                **common,  # type: ignore[arg-type]
            )
        )
    target = po.metadata.get("Language", "").strip()
    if not target:
        team = po.metadata.get("Language-Team", "").split("<")[0].strip()
        target = "" if team.upper() in ("", "LANGUAGE") else team
    source = po.metadata.get("X-Source-Language", "").strip()
    flavour = "pot" if name.lower().endswith(".pot") else "po"
    return Job(name, "po", flavour, tuple(segments), source, target)


def _locate(lines: Sequence[str], start: int | None, keyword: str) -> int | None:
    """The 1-based line of `keyword` ("msgid", "msgstr[1]") of the entry polib
    says starts at line `start` (its comments; 0 for a first entry after a
    lone comment), or None: the first such line from there, before the next
    entry's msgid."""
    seen_msgid = False
    for i in range(max(start or 1, 1) - 1, len(lines)):
        line = lines[i].lstrip()
        if line.startswith("msgid "):
            if seen_msgid:
                return None
            seen_msgid = True
        if line.startswith(keyword + " "):
            return i + 1
    return None


def read_units(data: bytes, name: str) -> list[BilingualUnit]:
    """The segments as units for `check` and `merge` (every status counted)."""
    return read_job(data, name).units()


# ------------------------------------------------------------------ writing

_KEYWORD: Final = re.compile(r"^\s*(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s")


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        .replace("\n", "\\n")
    )


def _string_lines(keyword: str, text: str, newline: str) -> list[str]:
    """`msgstr "…"` lines; a text with line breaks is split after each, as
    gettext tools write it."""
    parts = re.findall(r"[^\n]*\n|[^\n]+$", text) if "\n" in text.rstrip("\n") else [text]
    if len(parts) == 1:
        return [f'{keyword} "{_escape(text)}"{newline}']
    return [f'{keyword} ""{newline}'] + [f'"{_escape(p)}"{newline}' for p in parts]


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last+1) line indexes of each entry: runs of non-blank lines."""
    blocks = []
    start = None
    for i, line in enumerate(lines):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            blocks.append((start, i))
            start = None
    if start is not None:
        blocks.append((start, len(lines)))
    return blocks


def _rewrite(
    block: list[str],
    entry: polib.POEntry,
    forms: int,
    new: dict[int | None, str],
    fuzzy: bool | None,
    hints: Sequence[str] | None,
    newline: str,
) -> list[str]:
    """The lines of one entry with its msgstrs, flags and hints replaced."""
    out: list[str] = []
    keyword = ""
    flags_at: int | None = None
    msgstr_at: int | None = None
    first_keyword: int | None = None
    for line in block:
        match = _KEYWORD.match(line)
        if match:
            keyword = match.group(1)
            if first_keyword is None:
                first_keyword = len(out)
        elif line.lstrip().startswith('"') and keyword:
            pass  # a continuation of the last keyword's string
        else:
            keyword = ""
        if keyword.startswith("msgstr"):
            if msgstr_at is None:
                msgstr_at = len(out)
            continue
        if line.startswith("#,"):
            flags_at = len(out)
            continue
        if hints is not None and line.startswith(HINT_PREFIX):
            continue
        out.append(line)
    # msgstr lines
    strings: list[str] = []
    if entry.msgid_plural:
        values = {n: entry.msgstr_plural.get(n, "") for n in range(forms)}
        values.update({n: v for n, v in entry.msgstr_plural.items()})
        values.update({n: v for n, v in new.items() if n is not None})
        for n in sorted(values):
            strings += _string_lines(f"msgstr[{n}]", values[n], newline)
    else:
        strings = _string_lines("msgstr", new.get(None, entry.msgstr), newline)
    position = msgstr_at if msgstr_at is not None else len(out)
    out[position:position] = strings
    # flags
    flags = list(entry.flags)
    if fuzzy is True and "fuzzy" not in flags:
        flags.insert(0, "fuzzy")
    if fuzzy is False and "fuzzy" in flags:
        flags.remove("fuzzy")
    if flags_at is None:
        flags_at = first_keyword if first_keyword is not None else 0
        previous = [i for i, line in enumerate(out[:flags_at]) if line.startswith("#|")]
        if previous:
            flags_at = previous[0]
    if flags:
        out.insert(flags_at, "#, " + ", ".join(flags) + newline)
    # hints, after the last extracted comment (or before the references)
    if hints:
        at = 0
        for i, line in enumerate(out):
            if line.startswith("#.") or (line.startswith("# ") or line.rstrip() == "#"):
                at = i + 1
        out[at:at] = [HINT_PREFIX + h.removeprefix("Term: ") + newline for h in hints]
    return out


def write_job(
    data: bytes,
    name: str,
    updates: Sequence[TargetUpdate],
    *,
    hints: Mapping[str, Sequence[str]] | None = None,
) -> bytes:
    """The PO file `data` with the `msgstr`s of `updates` in place (see the module doc)."""
    from glossary.exchange.po import _load

    po = _load(data, name)
    forms = _nplurals(po)
    hints = hints or {}
    charset = re.search(r"charset=([A-Za-z0-9_.:-]+)", po.metadata.get("Content-Type", ""))
    encoding = charset.group(1) if charset and charset.group(1).upper() != "CHARSET" else "utf-8"
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    text = data[len(bom) :].decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
        trailing = False
    else:
        trailing = True
    blocks = _blocks(lines)
    starts = [b[0] for b in blocks]
    wanted = {u.key: u for u in updates}
    edits: dict[int, list[str]] = {}
    for index, entry in enumerate(_entries(po)):
        keys = (
            [f"e{index}p{n}" for n in range(max(forms, len(entry.msgstr_plural)))]
            if entry.msgid_plural
            else [f"e{index}"]
        )
        found = [wanted[k] for k in keys if k in wanted]
        entry_hints = [h for k in keys for h in hints.get(k, ())]
        has_hints = any(k in hints for k in keys)
        if not found and not has_hints:
            continue
        at = int(entry.linenum or 0)
        i = bisect.bisect_left(starts, at) - 1  # the last block starting before line `at`
        block = blocks[i] if i >= 0 and blocks[i][0] < at <= blocks[i][1] else None
        if block is None:
            raise UnreadableFile(
                f"{name} could not be written in place.",
                [Problem(name, entry.linenum, "the entry could not be found in the text")],
            )
        new: dict[int | None, str] = {}
        for update in found:
            n = int(update.key.rsplit("p", 1)[1]) if entry.msgid_plural else None
            new[n] = update.target
        marks = {u.mark for u in found}
        fuzzy = True if "mt" in marks else (False if marks else None)
        unique_hints = list(dict.fromkeys(entry_hints))
        edits[block[0]] = _rewrite(
            lines[block[0] : block[1]],
            entry,
            forms,
            new,
            fuzzy,
            unique_hints if has_hints else None,
            newline,
        )
    if not edits:
        return data
    out: list[str] = []
    pos = 0
    for start, end in blocks:
        if start in edits:
            out.extend(lines[pos:start])
            out.extend(edits[start])
            pos = end
    out.extend(lines[pos:])
    result = "".join(out)
    if not trailing:
        result = result[: -len(newline)]
    return bom + result.encode(encoding)
