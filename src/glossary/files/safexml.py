"""Safe XML parsing for every file this package reads (TBX, XLIFF, TMX).

Files to import come from outside: a client, IATE, a CAT tool, an e-mail.
The parser here

- never expands entities and refuses any document that declares them
  (defends against "billion laughs" and external-entity/XXE attacks, as
  defusedxml does);
- never loads a DTD and never touches the network (a `<!DOCTYPE martif
  SYSTEM "TBXBasiccoreStructV02.dtd">` line is fine: it is not fetched);
- keeps libxml2's limits on (text nodes up to 10 MB, nesting depth 256), and
  callers cap the file size (`glossary.files.inputs.read_bytes`);
- turns every failure into an `UnreadableFile` error that says what is wrong
  and where: truncated file, wrong encoding, not XML, hostile content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from glossary.errors import Problem, UnreadableFile

if TYPE_CHECKING:
    from lxml import etree


def _refuse(
    path: str, line: int | None, message: str, hint: str, column: int | None = None
) -> None:
    raise UnreadableFile(
        f"{path} was not read: it is not safe, well-formed XML.",
        [Problem(path, line, message, column=column, hint=hint)],
    )


def parse(data: bytes, path: str, *, keep: bool = False) -> etree._ElementTree:
    """Parse XML bytes safely; raise `UnreadableFile` with a located, fixable message.

    `keep`: keep comments, processing instructions and CDATA sections, for
    files written back in place (CAT jobs, the parts of Word and OpenDocument
    files)."""
    from lxml import etree

    if not data.strip():
        _refuse(path, None, "the file is empty", "export or download the file again")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=not keep,
        remove_pis=not keep,
        strip_cdata=not keep,
        # Not collect_ids=False: in lxml it makes libxml2 load the external DTD.
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        _refuse_syntax(exc, data, path)
        raise  # unreachable: _refuse_syntax always raises
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        entities = [e.name for e in dtd.iterentities()]  # type: ignore[attr-defined]
        if entities:
            _refuse(
                path,
                1,
                "the document declares XML entities ("
                + ", ".join(str(n) for n in entities[:5])
                + "); entity expansion is refused because it enables 'billion laughs' "
                "and external-entity (XXE) attacks",
                "remove the <!DOCTYPE ... [ ... ]> block, or export the file again "
                "from its original tool",
            )
    for node in tree.getroot().iter(etree.Entity):
        _refuse(
            path,
            cast("int | None", node.sourceline),
            f"the document uses the entity {node.text} without declaring it (a DTD would "
            "declare it; DTDs are never read, so its text would be lost)",
            "write the character itself (UTF-8) or as &#NNN;",
        )
    return tree


def _refuse_syntax(exc: etree.XMLSyntaxError, data: bytes, path: str) -> None:
    message = str(exc.msg or exc).split(", line ")[0]
    line, column = exc.position if exc.position else (exc.lineno, None)
    lower = message.lower()
    last_line = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if any(
        k in lower
        for k in ("encoding", "utf-8", "utf-16", "labelled", "invalid char", "out of allowed range")
    ):
        hint = (
            "the file is not in the encoding its XML declaration states (UTF-8 when none "
            "is stated); save it as UTF-8"
        )
    elif "entity" in lower:
        hint = "entities are not allowed; write characters directly (UTF-8) or as &#NNN;"
    elif "huge" in lower or "excessive depth" in lower or "xml_parse_huge" in lower:
        hint = (
            "the file exceeds the parser's safety limits (a text over 10 MB or nesting "
            "deeper than 256); it is not a normal terminology or translation file"
        )
    elif "start tag expected" in lower or "document is empty" in lower:
        hint = "this is not an XML file; check the file and --format"
    elif any(k in lower for k in ("premature end", "end of data", "not finished", "endtag")) or (
        line is not None and line >= last_line and "expected" in lower
    ):
        hint = (
            "the file ends before its elements are closed: it looks truncated; "
            "download or export it again"
        )
    else:
        hint = "fix the XML at this place (a validating editor shows the problem)"
    _refuse(path, line, message, hint, column=column)
