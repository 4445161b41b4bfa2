"""The offline advisory database: OSV records of the PyPA advisory database for the packages in
uv.lock, kept in deploy/supply/advisories.json with the date of the snapshot they come from,
and served on loopback as an OSV `/v1/query` endpoint so that pip-audit audits against it when
the public advisory service cannot be reached."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import threading
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

Record = dict[str, Any]


def locked_names(lock: Path) -> set[str]:
    """Every package name in the lock file, normalised (workspace members included)."""
    return {canonicalize_name(p["name"]) for p in tomllib.loads(lock.read_text())["package"]}


def import_snapshot(git_dir: Path, lock: Path, out: Path) -> int:
    """Write `out` from a clone of the PyPA advisory database (a bare one will do): the records
    of the locked packages, with the snapshot's commit and date. Returns how many records."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    commit, date = git("log", "-1", "--format=%H %cI", "HEAD").split()
    wanted = locked_names(lock)
    records: list[Record] = []
    for path in git("ls-tree", "-r", "--name-only", "HEAD", "vulns").splitlines():
        parts = path.split("/")
        if len(parts) == 3 and canonicalize_name(parts[1]) in wanted:
            records.append(yaml.safe_load(git("show", f"HEAD:{path}")))
    records.sort(key=lambda r: str(r["id"]))
    snapshot = {"source": "pypa/advisory-database", "commit": commit, "date": date}
    text = json.dumps(snapshot | {"records": records}, indent=1, default=_iso)
    out.write_text(text + "\n")
    return len(records)


def _iso(value: Any) -> str:
    """YAML reads OSV's timestamps as datetimes; OSV (and pip-audit) want RFC 3339."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_ranges(version: Version, ranges: list[Mapping[str, Any]]) -> bool:
    """OSV ECOSYSTEM ranges: introduced <= version < fixed (or <= last_affected)."""
    for rng in ranges:
        if rng.get("type") != "ECOSYSTEM":
            continue
        affected = False
        for event in rng.get("events", []):
            if "introduced" in event:
                start = event["introduced"]
                floor = _version(start)
                affected = start == "0" or (floor is not None and version >= floor)
            elif "fixed" in event and affected:
                fixed = _version(event["fixed"])
                affected = fixed is None or version < fixed
                if affected:
                    return True
            elif "last_affected" in event and affected:
                last = _version(event["last_affected"])
                affected = last is None or version <= last
                if affected:
                    return True
        if affected:
            return True
    return False


def affecting(records: list[Record], name: str, version: str) -> list[Record]:
    """The records that affect `name` at `version`: listed in its versions, or in its ranges."""
    wanted, parsed = canonicalize_name(name), _version(version)
    found = []
    for record in records:
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") != "PyPI":
                continue
            if canonicalize_name(package.get("name", "")) != wanted:
                continue
            listed = version in {str(v) for v in affected.get("versions", [])}
            if listed or (parsed is not None and _in_ranges(parsed, affected.get("ranges", []))):
                found.append(record)
                break
    return found


def load(path: Path) -> dict[str, Any]:
    snapshot: dict[str, Any] = json.loads(path.read_text())
    return snapshot


@contextmanager
def osv_endpoint(records: list[Record]) -> Iterator[str]:
    """An OSV `/v1/query` endpoint on loopback answering from `records`; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            name = str(query.get("package", {}).get("name", ""))
            vulns = affecting(records, name, str(query.get("version", "")))
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, name="osv-offline", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()
