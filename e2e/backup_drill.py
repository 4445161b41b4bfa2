"""The backup and restore drill: seed a stack, back it up while it runs, restore the backup into
a new state folder on other ports, start that, and prove it is the same platform.

    uv run python -m e2e.backup_drill [--accounts N]

After the restore: every table of every database is as it was once the consumers (which replay
every topic from its start) have caught up, so they skipped by event id all they had applied;
each store's events are on its topic exactly once, also after a new event (the relay resumed
where the backup's topic ended); the members sign in with their password and authenticator;
the group and its members are as they were; no member is mailed twice; an audit export since
the checkpoint kept before the backup verifies offline against it; every projection rebuilt in
place gives the same rows. It prints how long the backup and the restore took.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from e2e import backup_checks as checks
from e2e.backup_world import SUBJECT, World, client, seed, settled, sign_in, wait_until
from snp_stack import backup, restore, services, testing
from snp_stack.ports import random_ports
from snp_stack.stack import Stack
from tests.integration.messaging_helpers import mails_to


class Figures(dict[str, Any]):
    """The drill's figures, each printed as soon as it is measured, so that a long drill cut
    short still tells what it measured."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, value)
        print(f"{name:<20} {value}", flush=True)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@contextmanager
def restored_stack(source: Path, figures: dict[str, Any]) -> Iterator[Stack]:
    """The backup restored into a new state folder on free ports, and started there (a folder
    named like a throwaway stack's, so a killed run's is cleaned up by the next)."""
    state = Path(tempfile.mkdtemp(prefix=testing.PREFIX))
    ports = random_ports(services.SERVICE_NAMES)
    stack = Stack(state, ports, build_tools=False)
    try:
        started = time.monotonic()
        figures["restore"] = restore.restore(source, state, ports)
        figures["restore_seconds"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        stack.start()
        figures["start_seconds"] = round(time.monotonic() - started, 1)
        yield stack
    finally:
        stack.stop()
        testing._remove(state)


def back_up(stack: Any, world: World, folder: Path, figures: dict[str, Any]) -> dict[str, Any]:
    """Settle, keep what to compare with and the auditor's checkpoint, then back up."""
    settling = wait_until(lambda: settled(stack), "the source stack settling", timeout=1800)
    figures["settle_seconds"] = round(settling, 1)
    kept = {"audit": checks.kept_checkpoint(stack, world)}
    wait_until(lambda: settled(stack), "the source stack settling")
    kept["tables"] = checks.fingerprint(stack)
    started = time.monotonic()
    manifest = backup.backup(stack.state_dir, folder)
    figures["backup_seconds"] = round(time.monotonic() - started, 1)
    figures["backup_bytes"] = _size(folder)
    figures["events"] = sum(d["events"] or 0 for d in manifest["databases"])
    figures["records"] = sum(sum(t["records"].values()) for t in manifest["topics"])
    figures["recovery_point"] = manifest["recovery_point"]
    return kept


# Tables a running stack changes by itself, not from events. Audit's api signs a checkpoint
# on its timer whenever the log has grown since the last one (OPA's decision logs about the
# auditor reading the checkpoint kept above), so the restored one may sign one more.
CHANGES_BY_ITSELF = {"audit.audit_checkpoints"}


def prove(
    stack: Stack, world: World, kept: dict[str, Any], work: Path, figures: dict[str, Any]
) -> None:
    replay = wait_until(lambda: settled(stack), "the replay", timeout=1800)
    figures["replay_seconds"] = round(replay, 1)
    changed = checks.differences(kept["tables"], checks.fingerprint(stack))
    assert [c for c in changed if c.split(":")[0] not in CHANGES_BY_ITSELF] == [], changed
    checks.topics_match_stores(stack, world.tenant)
    for person in world.people.values():  # password and authenticator, as before the backup
        signed = sign_in(stack, person)
        assert signed.status_code == 200, f"{person.name}: {signed.text}"
        person.token = signed.json()["access_token"]
    chair, cy = world.people["chair"], world.people["cy"]
    with client(stack, "membership") as membership:
        listed = membership.get(f"/groups/{world.group_id}/members", headers=_auth(chair.token))
        assert listed.status_code == 200, listed.text
        ids = {m["account_id"] for m in listed.json()["members"]}
        assert ids == {m.account_id for m in world.members}, listed.text
        left = membership.delete(
            f"/groups/{world.group_id}/members/{cy.account_id}", headers=_auth(cy.token)
        )
        assert left.status_code in (200, 204), left.text
    wait_until(lambda: settled(stack), "the restored stack settling after a new event")
    figures["events_after"] = checks.topics_match_stores(stack, world.tenant)
    for member in world.members:
        mailed = [m for m in mails_to(stack.maildir, member.email) if m["Subject"] == SUBJECT]
        assert mailed == [], f"{member.name} was mailed again after the restore"
    figures["audit"] = checks.audit_verifies(stack, world, kept["audit"], work)
    figures["projections_rebuilt"] = checks.projections_rebuild(stack)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def drill(source: Any, accounts: int, work: Path, stop_source: bool) -> dict[str, Any]:
    """Seed `source`, back it up into `work`, restore, prove; the figures measured. The source
    may be stopped once backed up (two whole stacks on a small machine slow each other)."""
    figures = Figures()
    figures["accounts"] = accounts + 5
    started = time.monotonic()
    world = seed(source, accounts)
    figures["seed_seconds"] = round(time.monotonic() - started, 1)
    kept = back_up(source, world, work / "backup", figures)
    if stop_source:
        source.stop()
    with restored_stack(work / "backup", figures) as restored:
        prove(restored, world, kept, work, figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=0, help="more member accounts to seed")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="snp-backup-drill-"))
    try:
        with testing.throwaway_stack() as source:
            figures = drill(source, args.accounts, work, stop_source=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"the drill passed: {len(figures)} figures above")


if __name__ == "__main__":
    main()
