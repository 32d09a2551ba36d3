"""A throwaway PostgreSQL server for the tests: initdb in a temporary folder, a Unix socket,
no TCP; run as ``nobody`` when the tests run as root (PostgreSQL refuses to run as root).

One server per test session (:func:`start`), a fresh database per test (``CREATE DATABASE ...
TEMPLATE template0``). Skipped, with the reason, where PostgreSQL's binaries or psycopg are
missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin")


def find_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres (Debian's, newest first, or PATH's)."""
    override = os.environ.get("TALLYBOOK_PG_BIN")
    candidates = [override] if override else []
    for pattern in _SEARCH:
        candidates.extend(sorted(glob.glob(pattern), reverse=True))
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).parent))
    for folder in candidates:
        if all((Path(folder) / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


@dataclass
class PgServer:
    """A running server: its socket folder, superuser and the process owner's prefix."""

    bin_dir: Path
    data_dir: Path
    socket_dir: Path
    prefix: list[str]
    user: str = "postgres"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{database}?host={self.socket_dir}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]  # test-made statements, no input

    def new_database(self) -> str:
        """A new, empty database's URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    def stop(self) -> None:
        self.pg_ctl("stop", "-m", "immediate", "-w", check=False)

    durable: bool = False  # fsync as a real server does (benchmarks); tests need not wait

    def restart(self) -> None:
        """Stop the server (closing every connection) and start it again."""
        self.pg_ctl("stop", "-m", "fast", "-w")
        self.start()

    def start(self) -> None:
        options = f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=60"
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        log = self.data_dir.parent / "server.log"
        self.pg_ctl("start", "-w", "-t", "60", "-l", str(log), "-o", options)


def _owner_prefix(folder: Path) -> list[str]:
    """The command prefix that runs the server's programs as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser") or shutil.which("setpriv")
    if runuser is None:
        raise RuntimeError("running as root without runuser or setpriv to run PostgreSQL")
    os.chown(folder, 65534, 65534)  # nobody
    if runuser.endswith("runuser"):
        return [runuser, "-u", "nobody", "--"]
    return [runuser, "--reuid=65534", "--regid=65534", "--clear-groups"]


def start(*, durable: bool = False) -> Iterator[PgServer | str]:
    """Start a server; yields it (or why there is none) and stops it afterwards."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        yield "psycopg is not installed (pip install 'psycopg[binary]')"
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        yield "no PostgreSQL server binaries (initdb, pg_ctl, postgres; apt install postgresql)"
        return
    # a short path: a Unix socket's path has at most ~107 bytes
    root = Path(tempfile.mkdtemp(prefix="tbpg-"))
    try:
        prefix = _owner_prefix(root)
        data_dir, socket_dir = root / "data", root / "sock"
        for folder in (data_dir, socket_dir):
            subprocess.run([*prefix, "mkdir", "-m", "700", str(folder)], check=True)
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data_dir), "-U", "postgres",
             "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            capture_output=True, check=True, timeout=120,
        )  # fmt: skip
        server = PgServer(bin_dir, data_dir, socket_dir, prefix, durable=durable)
        server.start()
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
