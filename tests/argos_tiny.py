"""Build Argos Translate packages with random weights, offline, at test time.

An Argos package is a zip with one top folder holding `metadata.json`, a
CTranslate2 model in `model/` and a `sentencepiece.model` (see
../shared/ARGOS.md). The tests need a real one to drive the real loading code
(ctranslate2 + sentencepiece) without downloading anything, so we make one:
a SentencePiece model trained on `seeds/` and a Transformer whose weights are
random numpy arrays. Its translations are junk, so tests may only rely on
what the pipeline guarantees, never on what the model says.

`build_package` also makes the Argos-size stand-in of the speed benchmark
(6+6 layers, d=512, 8 heads, FFN 2048, 32k vocabulary).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@dataclass(frozen=True)
class Shape:
    """Hyper-parameters of the random Transformer."""

    layers: int = 2
    d_model: int = 64
    heads: int = 4
    ffn: int = 128
    vocab_size: int = 500


TINY = Shape()
ARGOS_SIZE = Shape(layers=6, d_model=512, heads=8, ffn=2048, vocab_size=32000)


def seed_lines(folder: Path = SEEDS) -> list[str]:
    """The non-empty lines of every seed document."""
    lines: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        lines.extend(line.strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


# Real Argos tokenizers know "_" (placeholders such as TERM_1 must survive a
# round trip); the seeds have none, so the piece is added by hand.
EXTRA_SYMBOLS = ("_",)


def train_sentencepiece(lines: Iterable[str], vocab_size: int) -> bytes:
    """A SentencePiece model trained on `lines`.

    The seeds are far too small for 32k pieces, so SentencePiece learns what
    it can (`hard_vocab_limit=False`) and we top the vocabulary up to exactly
    `vocab_size` with filler pieces (user-defined symbols such as `w00042`
    that never occur in Dutch). The model then has a full-size output layer,
    and every piece it emits decodes through SentencePiece.
    """
    import sentencepiece as spm

    text = list(lines)
    learned = _train(spm, text, vocab_size, EXTRA_SYMBOLS)
    size = spm.SentencePieceProcessor(model_proto=learned).get_piece_size()
    if size >= vocab_size:
        return learned
    # User-defined symbols count towards vocab_size; SentencePiece may learn a
    # few pieces less once the fillers are in, so top up until it is exact.
    fillers: tuple[str, ...] = ()
    while size < vocab_size:
        start = len(fillers)
        fillers += tuple(f"w{i:05d}" for i in range(start, start + vocab_size - size))
        model = _train(spm, text, vocab_size, EXTRA_SYMBOLS + fillers)
        size = spm.SentencePieceProcessor(model_proto=model).get_piece_size()
    return model


def _train(spm: Any, text: list[str], vocab_size: int, user_symbols: tuple[str, ...]) -> bytes:
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(text),
        model_writer=out,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        user_defined_symbols=list(user_symbols),
        num_threads=1,
        minloglevel=2,
    )
    return out.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _shape_of(name: str, shape: Shape, vocab: int) -> tuple[int, ...]:
    d, f = shape.d_model, shape.ffn
    if name.endswith("embeddings_0/weight") or name.endswith("embeddings/weight"):
        return (vocab, d)
    if name.endswith("projection/weight"):
        return (vocab, d)
    if name.endswith("/gamma") or name.endswith("/beta"):
        return (d,)
    if "/self_attention/linear_0/" in name:
        return (3 * d, d)  # fused query, key, value
    if "/attention/linear_1/" in name:
        return (2 * d, d)  # cross attention: fused key, value
    if "/ffn/linear_0/" in name:
        return (f, d)
    if "/ffn/linear_1/" in name:
        return (d, f)
    if "linear_" in name:
        return (d, d)
    raise ValueError(f"no shape rule for {name}")


def _resolve(obj: Any, path: str) -> tuple[Any, str]:
    parts = path.split("/")
    for part in parts[:-1]:
        match = re.fullmatch(r"(.+)_(\d+)", part)
        if match and isinstance(getattr(obj, match[1], None), list):
            obj = getattr(obj, match[1])[int(match[2])]
        else:
            obj = getattr(obj, part)
    return obj, parts[-1]


def save_ctranslate2_model(folder: Path, vocabulary: list[str], shape: Shape, seed: int) -> None:
    """A random-weight CTranslate2 Transformer with `vocabulary` on both sides, int8."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(shape.layers, shape.heads)
    rng = np.random.default_rng(seed)
    for name, value in spec.variables(ordered=True):
        if value is not None:
            continue
        owner, attr = _resolve(spec, name)
        dims = _shape_of(name, shape, len(vocabulary))
        if attr == "gamma":
            array = np.ones(dims, dtype=np.float32)
        elif attr == "beta":
            array = np.zeros(dims, dtype=np.float32)
        else:
            array = rng.normal(0.0, 0.05, size=dims).astype(np.float32)
        setattr(owner, attr, array)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))


def metadata(from_code: str = "nl", to_code: str = "en", version: str = "0.1") -> dict[str, Any]:
    return {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": "Dutch" if from_code == "nl" else from_code,
        "to_code": to_code,
        "to_name": "English" if to_code == "en" else to_code,
        "type": "translate",
        "links": [],
    }


def build_package_dir(
    folder: Path,
    *,
    shape: Shape = TINY,
    seed: int = 7,
    meta: dict[str, Any] | None = None,
) -> Path:
    """An unpacked package in `folder` (metadata.json, model/, sentencepiece.model)."""
    folder.mkdir(parents=True, exist_ok=True)
    model = train_sentencepiece(seed_lines(), shape.vocab_size)
    (folder / "sentencepiece.model").write_bytes(model)
    save_ctranslate2_model(folder / "model", _pieces(model), shape, seed)
    (folder / "metadata.json").write_text(
        json.dumps(meta or metadata(), indent=2, ensure_ascii=False), "utf-8"
    )
    return folder


def zip_package(folder: Path, archive: Path, top: str | None = None) -> Path:
    """Zip an unpacked package under one top folder (default: the folder's name)."""
    top = top or folder.name
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{top}/", "")
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_dir():
                zf.writestr(f"{top}/{rel}/", "")
            else:
                zf.write(path, f"{top}/{rel}")
    return archive


def build_package(
    archive: Path,
    *,
    shape: Shape = TINY,
    name: str = "translate-nl_en-0_1",
    seed: int = 7,
    meta: dict[str, Any] | None = None,
) -> Path:
    """Build and zip a package: `archive` is a ready `.argosmodel`."""
    work = archive.parent / f".{archive.stem}-build" / name
    build_package_dir(work, shape=shape, seed=seed, meta=meta)
    return zip_package(work, archive, top=name)


def members(archive: Path) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
    """Every member of a zip with its bytes (to rebuild hostile variants)."""
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            yield info, zf.read(info)
