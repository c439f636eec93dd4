"""Files the command line writes: whole, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import click


@contextmanager
def written_whole(output: Path) -> Iterator[BinaryIO]:
    """Give a file to write `output` into: it is written beside the target and renamed at
    the end, so that a failure leaves no file behind. An error of the file system is told
    as a command-line error naming `output`."""
    partial = output.with_name(f".{output.name}.part")
    try:
        with partial.open("wb") as out:
            yield out
        partial.replace(output)
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {output}: {err.strerror}") from err
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
