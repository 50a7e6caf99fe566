"""Several output files written as one (glossary.files.outputs.write_all)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import pytest

from glossary.errors import OutputError
from glossary.files.outputs import OutputFile, Render, write_all


def text(content: str) -> Render:
    def render(handle: IO[bytes]) -> None:
        handle.write(content.encode())

    return render


def fails(handle: IO[bytes]) -> None:
    handle.write(b"half")
    raise KeyboardInterrupt


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_all_files_appear_with_their_content(tmp_path: Path) -> None:
    write_all(
        [OutputFile(tmp_path / "a.txt", text("A")), OutputFile(tmp_path / "b.txt", text("B"))]
    )
    assert listing(tmp_path) == {"a.txt": b"A", "b.txt": b"B"}


def test_replaced_files_keep_their_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_all([OutputFile(target, text("new"))])
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o640


def test_an_error_in_any_file_changes_none(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old a")
    files = [
        OutputFile(tmp_path / "a.txt", text("new a")),
        OutputFile(tmp_path / "b.txt", text("new b")),
        OutputFile(tmp_path / "c.txt", fails),
    ]
    with pytest.raises(KeyboardInterrupt):
        write_all(files)
    assert listing(tmp_path) == {"a.txt": b"old a"}  # no new file, no temporary file


def test_a_failing_rename_restores_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"old {name}")
    real = Path.replace
    renames: list[Path] = []

    def replace(self: Path, target: str | Path) -> Path:
        if self.name.endswith(".tmp"):
            renames.append(self)
            if len(renames) == 3:
                raise OSError("disk full")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    files = [OutputFile(tmp_path / n, text(f"new {n}")) for n in ("a.txt", "new.txt", "b.txt")]
    with pytest.raises(OSError, match="disk full"):
        write_all(files)
    assert listing(tmp_path) == {"a.txt": b"old a.txt", "b.txt": b"old b.txt"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: [d / "x" / "a.txt"], "folder .* does not exist"),
        (lambda d: (d / "dir").mkdir() or [d / "dir"], "it is a folder"),
        (lambda d: [d / "a.txt", d / "." / "a.txt"], "would be written twice"),
    ],
    ids=["missing-folder", "folder", "twice"],
)
def test_bad_targets_are_refused_before_anything_is_written(
    tmp_path: Path, make: object, message: str
) -> None:
    paths = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(OutputError, match=message):
        write_all([OutputFile(p, text("x")) for p in paths])
    assert not (tmp_path / "a.txt").exists()
