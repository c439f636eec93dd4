"""Where Consult's non-code files are: templates, static files, migrations, sample drafts.

In the repository they sit at the top level, next to the `consult` package. A
built wheel carries them inside the package, as `consult/_data/<name>` (see
setup.py), so that an installed Consult needs no source tree. `data_folder`
answers for both, preferring the installed copy when there is one.

The instance folder (the SQLite database, the generated secret key) is
`instance/` in a checkout, as before; for an installed package, Flask's own
default, `<prefix>/var/consult-instance` (for a virtual environment, inside
it), since the package's folder is no place to write. CONSULT_INSTANCE_PATH
overrides both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

PACKAGE = Path(__file__).resolve().parent
#: The folder that holds the package: the checkout, or site-packages when installed.
PACKAGE_PARENT = PACKAGE.parent
#: Where the build puts the data folders inside the package.
INSTALLED_DATA = PACKAGE / "_data"

DataFolder = Literal["templates", "static", "migrations", "drafts"]
#: The top-level folders that every install needs; setup.py maps the same names.
DATA_FOLDERS: tuple[DataFolder, ...] = ("templates", "static", "migrations", "drafts")


def is_installed() -> bool:
    """Return whether Consult runs from a built package rather than from its checkout."""
    return INSTALLED_DATA.is_dir()


def data_folder(name: DataFolder) -> Path:
    """Return the folder holding `name` (templates, static, migrations or drafts)."""
    return (INSTALLED_DATA if is_installed() else PACKAGE_PARENT) / name


def default_instance_path() -> str | None:
    """Return `instance/` in a checkout; None when installed, for Flask's default."""
    return None if is_installed() else str(PACKAGE_PARENT / "instance")
