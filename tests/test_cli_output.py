"""The command line writes a file whole or not at all (consult.cli_output)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from consult.cli_output import written_whole


def test_the_file_appears_only_when_written_whole(tmp_path: Path) -> None:
    output = tmp_path / "matrix.xlsx"
    with written_whole(output) as out:
        out.write(b"first half")
        assert not output.exists()  # being written beside it
        out.write(b", second half")
    assert output.read_bytes() == b"first half, second half"
    assert list(tmp_path.iterdir()) == [output]


def test_a_failure_leaves_no_file_and_keeps_an_older_one(tmp_path: Path) -> None:
    output = tmp_path / "v3.pdf"
    output.write_bytes(b"the older file")
    with pytest.raises(RuntimeError, match="renderer broke"), written_whole(output) as out:
        out.write(b"half a PDF")
        raise RuntimeError("renderer broke")
    assert output.read_bytes() == b"the older file"
    assert list(tmp_path.iterdir()) == [output]


def test_an_unwritable_place_is_a_command_line_error_naming_the_file(tmp_path: Path) -> None:
    output = tmp_path / "no-such-folder" / "v3.pdf"
    refused = pytest.raises(click.ClickException, match=r"cannot write .*v3\.pdf: No such file")
    with refused, written_whole(output) as out:
        out.write(b"never")
    assert not output.parent.exists()
