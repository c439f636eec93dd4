"""Build hook: the wheel carries templates/, static/, migrations/ and drafts/.

They stay at the top of the repository, where people look for them. At build
time each folder is mapped into the package as `consult/_data/<name>`, where
`consult.resources` finds it once installed. Every folder of data (these, and
`consult/translations`) is listed as a package of its own, with all its files,
so that setuptools ships them without guessing. Everything else about the
package is declared in pyproject.toml.
"""

from setuptools import find_namespace_packages, find_packages, setup

# The same names as consult.resources.DATA_FOLDERS (the build cannot import Flask).
DATA_FOLDERS = ("templates", "static", "migrations", "drafts")
DATA_ROOTS = {f"consult._data.{name}": name for name in DATA_FOLDERS}


def tree(package: str, folder: str) -> list[str]:
    """Return `package` and a package name for every folder under `folder`."""
    below = find_namespace_packages(where=folder, exclude=["__pycache__", "*.__pycache__"])
    return [package, *(f"{package}.{name}" for name in below)]


DATA_PACKAGES = [
    *tree("consult.translations", "consult/translations"),
    *(package for root, folder in DATA_ROOTS.items() for package in tree(root, folder)),
]

setup(
    packages=[*find_packages(include=["consult", "consult.*"]), *DATA_PACKAGES],
    package_dir=DATA_ROOTS,
    # The common-password list of the password policy sits beside its module.
    package_data={**{package: ["*"] for package in DATA_PACKAGES}, "consult.domain": ["*.txt"]},
)
