"""Run a function in a forked child with a deadline: the regression tests of
hangs (exponential or quadratic time on hostile input) fail instead of
hanging the suite. The deadline is generous (tens of times what the fixed
code needs on a loaded 2-core machine), so it never measures speed, only that
the work does not explode."""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any


def _child(conn: Any, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except BaseException as exc:  # reported to the parent, which re-raises
        result = ("error", exc)
    try:
        conn.send(result)
    except (pickle.PicklingError, TypeError, AttributeError):
        conn.send((result[0], repr(result[1])))
    conn.close()


def within(seconds: float, func: Callable[..., Any], *args: Any) -> Any:
    """`func(*args)` in a forked process; AssertionError if it takes longer than `seconds`."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child, func, args), daemon=True)
    process.start()
    child.close()
    ready = parent.poll(seconds)
    if not ready:
        process.kill()
        process.join()
        raise AssertionError(f"{getattr(func, '__name__', func)} took more than {seconds} s")
    status, value = parent.recv()
    process.join()
    if status == "error":
        if isinstance(value, BaseException):
            raise value
        raise AssertionError(value)
    return value
