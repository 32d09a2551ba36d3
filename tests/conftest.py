"""Suite-wide settings (read-model caches go to a temporary folder, never the user's) and
fixtures more than one layer's tests use."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pg_server as pg_server_module
import pytest

from domain.projections.location import ENV_DIR


@pytest.fixture(scope="session", autouse=True)
def read_models_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point every book's read-model cache (and any subprocess's) at a temporary folder."""
    saved = os.environ.get(ENV_DIR)
    os.environ[ENV_DIR] = str(tmp_path_factory.mktemp("read-models"))
    yield
    if saved is None:
        del os.environ[ENV_DIR]
    else:
        os.environ[ENV_DIR] = saved


NoNewFiles = Callable[[Path], contextlib.AbstractContextManager[None]]


@pytest.fixture
def folder_taking_no_new_files() -> NoNewFiles:
    """A context manager that makes a folder refuse new files even to root (as read-only
    media or another user's folder would), with the file system's immutable flag; the test
    is skipped where that is not allowed."""

    @contextlib.contextmanager
    def immutable(folder: Path) -> Iterator[None]:
        chattr = shutil.which("chattr")
        if (
            chattr is None
            or subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode
        ):
            pytest.skip("needs chattr +i (root, on a file system with the immutable flag)")
        try:
            assert not os.access(folder, os.W_OK)
            yield
        finally:
            subprocess.run([chattr, "-i", str(folder)], check=True)

    return immutable


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a file system of its own, a 256 KiB tmpfs (``fill(folder)`` makes it full):
    a real full disk, not a simulated one. Skipped where mounting is not allowed (not root)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"needs to mount a tmpfs (root): {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Write a file into ``folder`` until its file system has no byte left."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * size):
                    pass
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free == 0


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg_server_module.PgServer]:
    """One throwaway PostgreSQL server for the whole run (see tests/pg_server.py)."""
    started = pg_server_module.start()
    server = next(started)
    if isinstance(server, str):
        pytest.skip(server)
    yield server
    for _ in started:  # runs the generator's clean-up: stops the server, removes its folder
        pass


@pytest.fixture
def pg_url(pg_server: pg_server_module.PgServer) -> str:
    """The URL of a new, empty database on the test server."""
    return pg_server.new_database()
