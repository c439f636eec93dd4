"""An installed Consult runs without its source tree.

The sdist and the wheel are built from a copy of the project (`python -m
build`, as a release would be), the wheel is installed into a fresh virtual
environment in a temporary folder, and from a folder that is not the checkout
the commands create the database, load the demo and list its documents, and
gunicorn serves pages and the stylesheets they link. Slow (about 20 seconds):
marked `slow`, and run by `make test` and CI like every other test.

The new environment reaches the project's installed dependencies through a
`.pth` file, so that nothing is downloaded but the build backend; Consult
itself comes only from the wheel, as the test checks.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode, urljoin
from urllib.request import HTTPCookieProcessor, OpenerDirector, build_opener

import pytest
from bs4 import BeautifulSoup, Tag

from consult.resources import DATA_FOLDERS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DATA_PREFIX = "consult/_data/"
#: Left out of the copy that is built: the checkout's own state, never part of a release.
NOT_SOURCE = {".git", ".venv", "instance", "build", "dist", "consult.egg-info"}
DEMO_DOCUMENTS = {"human-rights-borders", "gmg-issues-brief"}


def run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 120) -> str:
    """Run a command; return its output, or fail the test with it."""
    result = subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def files_under(root: Path, folder: str, pattern: str = "*") -> set[str]:
    """Return the files under `root/folder` (relative to `root`), without bytecode or dotfiles."""
    return {
        path.relative_to(root).as_posix()
        for path in (root / folder).rglob(pattern)
        if path.is_file() and not any(part.startswith((".", "__pycache__")) for part in path.parts)
    }


def copy_source(target: Path) -> Path:
    """Copy the project as a release would see it, and return the copy."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {"node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
        if Path(folder) == ROOT:
            skipped |= NOT_SOURCE
        return skipped & set(names)

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project (others may be editing the checkout meanwhile)."""
    return copy_source(tmp_path_factory.mktemp("source") / "project")


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the sdist of the copy."""
    work = tmp_path_factory.mktemp("build")
    run([sys.executable, "-m", "build", "--outdir", work / "dist", source], work, dict(os.environ))
    (built,) = (work / "dist").glob("consult-*.whl")
    return built


@pytest.fixture(scope="module")
def environment(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment, outside the checkout, with the wheel installed."""
    folder = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(run([python, "-c", where], folder, {}).strip())
    dependencies = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "project-dependencies.pth").write_text("\n".join(sorted(dependencies)) + "\n")
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python, "install"]
    pip += ["--no-deps", "--no-index"]
    run([*pip, wheel], folder, dict(os.environ))
    return folder


def consult_environ(**settings: str) -> dict[str, str]:
    """Return this process's environment without any Consult, Flask or Python path setting."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONSULT_", "FLASK_")) and key != "PYTHONPATH"
    }
    return env | {f"CONSULT_{key}": value for key, value in settings.items()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def server(environment: Path, tmp_path: Path) -> Iterator[str]:
    """gunicorn serving the installed Consult, as the README shows; yields its base URL."""
    python = environment / "bin" / "python"
    database = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    work = tmp_path / "elsewhere"
    work.mkdir()
    instance = tmp_path / "instance"
    env = consult_environ(DATABASE_URL=database, INSTANCE_PATH=str(instance))
    flask: list[str | Path] = [python, "-m", "flask", "--app", "consult"]
    assert "up to date" in run([*flask, "init-db"], work, env)
    assert "Added" in run([*flask, "load-demo"], work, env)
    listed = run([*flask, "list-documents"], work, env)
    assert {line.split()[0] for line in listed.splitlines() if line[:1].strip()} == DEMO_DOCUMENTS
    assert (instance / "secret_key").is_file()

    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    # The README's command, with the factory since wsgi.py is not installed.
    gunicorn = [str(python), "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        [*gunicorn, "consult:create_app()"],
        cwd=work,
        # No CONSULT_INSTANCE_PATH: the installed package's default instance folder.
        env=consult_environ(DATABASE_URL=database),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                build_opener().open(base + "/login", timeout=5).close()
                break
            # A timeout too: the socket accepts before the worker has booted,
            # which takes longer on a machine busy with other tests.
            except (URLError, ConnectionError, TimeoutError):
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer in 30 s"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_the_wheel_carries_the_code_and_every_data_folder(source: Path, wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = {name for name in names if name.startswith(DATA_PREFIX)}
    expected = set().union(*(files_under(source, folder) for folder in DATA_FOLDERS))
    assert {name.removeprefix(DATA_PREFIX) for name in data} == expected
    package = names - data
    assert files_under(source, "consult", "*.py") <= package
    assert files_under(source, "consult/translations") <= package
    assert "consult/translations/messages.pot" in package
    # Nothing else: no tests, no node_modules, only the package and its metadata.
    assert all(name.startswith(("consult/", "consult-0")) for name in names)


def stylesheets(opener: OpenerDirector, page_url: str, html: str, source: Path) -> list[str]:
    """Return the stylesheets `html` links to, checking each is served as in `source`."""
    served = []
    for link in BeautifulSoup(html, "html.parser").select('link[rel="stylesheet"]'):
        href = str(link["href"])
        with opener.open(urljoin(page_url, href)) as response:
            assert response.status == 200 and response.headers.get_content_type() == "text/css"
            assert response.read() == (source / href.removeprefix("/")).read_bytes()
        served.append(href)
    return served


def test_installed_package_runs_outside_the_checkout(
    source: Path, environment: Path, server: str
) -> None:
    python = environment / "bin" / "python"
    where = run([python, "-c", "import consult; print(consult.__file__)"], Path("/"), {})
    package = Path(where.strip()).parent
    assert package.is_relative_to(environment)

    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    with opener.open(server + "/login") as response:
        login = response.read().decode()
    form = BeautifulSoup(login, "html.parser").select_one("main form")
    assert isinstance(form, Tag) and form.select_one('input[name="email"]') is not None
    assert stylesheets(opener, server + "/login", login, source) == ["/static/css/consult.css"]

    token = form.select_one('input[name="csrf_token"]')
    assert isinstance(token, Tag)
    fields = {
        "csrf_token": str(token["value"]),
        "email": "drafter@consult.example",
        "password": "consult-demo",
    }
    with opener.open(server + "/login", data=urlencode(fields).encode()) as response:
        index = BeautifulSoup(response.read().decode(), "html.parser")
    shown = {
        str(h["id"]).removeprefix("document-")
        for h in index.select(".document-summary [id^=document-]")
    }
    assert shown == DEMO_DOCUMENTS

    compare = server + "/documents/human-rights-borders/compare/1/2"
    with opener.open(compare) as response:
        page = response.read().decode()
    assert "/static/css/compare.css" in stylesheets(opener, compare, page, source)

    # Without CONSULT_INSTANCE_PATH, an installed Consult keeps its instance
    # folder under the environment's prefix, never inside site-packages.
    assert (environment / "var" / "consult-instance" / "secret_key").is_file()
    assert not list(package.glob("**/secret_key"))
