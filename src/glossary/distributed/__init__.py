"""Distributed backends: the same jobs on a Ray cluster, with the same bytes out.

`glossary translate`, `mine` and `check` run in this process by default
(`--backend local`). With `--backend ray` their per-document work goes to a
Ray cluster (https://docs.ray.io): the one of `--ray-address`, or a Ray
started in this process on this machine. Ray is an optional extra
(`pip install 'glossary[ray]'`), imported only here and only when asked for.

- `glossary.distributed.cluster`: connecting (`Cluster`, `RaySettings`),
  clean errors when Ray is missing or the address is wrong.
- `glossary.distributed.translation`: the translation job on a pool of Ray
  actors, each loading the engine once (`run_job`).
- `glossary.distributed.mining`: term mining as map steps over parts of the
  documents and an ordered merge (`mine`).
- `glossary.distributed.qa`: the terminology check in chunks (`check_units`).

Each module splits the work, runs the library's own per-part functions on
the workers, and merges the results in document order, so the outputs are
byte for byte those of the local backend (see docs/cluster.md).
"""

from __future__ import annotations

from typing import Final

BACKENDS: Final = ("local", "ray")
