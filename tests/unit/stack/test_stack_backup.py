"""The pure parts of `snp-stack backup` and `restore`: the dump order, where a restored relay
resumes, the folders they refuse, and that a password never reaches a command line."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from snp_stack import backup, cli, database_backup, restore, services, topic_backup
from snp_stack.errors import StackError
from snp_stack.ports import random_ports


def _consumed_topics(service: str) -> tuple[str, ...]:
    if service == "audit":  # every store's topic (a regular expression)
        return tuple(f"snp.{s}.events" for s in services.EVENT_SERVICE_NAMES if s != "audit")
    module = importlib.import_module(f"snp_{service}.entrypoints.consumer")
    return tuple(getattr(module, "TOPICS", ()))


def test_every_database_is_dumped_once() -> None:
    assert sorted(database_backup.DUMP_ORDER) == sorted(services.SERVICE_NAMES)


@pytest.mark.parametrize(
    "consumer", ["membership", "documents", "messaging", "engagement", "audit"]
)
def test_a_consumer_is_dumped_before_every_store_it_reads(consumer: str) -> None:
    """A later snapshot of a store holds every event an earlier-dumped consumer applied."""
    order = database_backup.DUMP_ORDER
    for topic in _consumed_topics(consumer):
        producer = topic.split(".")[1]
        assert order.index(consumer) < order.index(producer), (consumer, producer)


def test_the_relay_resumes_after_the_published_prefix() -> None:
    window = [(11, "a"), (12, "b"), (14, "c"), (15, "d")]  # 13 rolled back: a gap
    assert topic_backup.published_prefix(10, window, set()) == 10
    assert topic_backup.published_prefix(10, window, {"a", "b"}) == 12
    assert topic_backup.published_prefix(10, window, {"a", "b", "c", "d"}) == 15
    # "c" reached the topic but "b" did not: resume after "a"; "c" is sent again, harmlessly.
    assert topic_backup.published_prefix(10, window, {"a", "c"}) == 11
    assert topic_backup.published_prefix(10, [], {"x"}) == 10


def test_the_event_id_comes_from_its_header() -> None:
    headers = [("snp-event-type", b"t"), ("snp-event-id", b"0190-id"), ("traceparent", None)]
    assert topic_backup.event_id(headers) == "0190-id"
    assert topic_backup.event_id(None) is None
    assert topic_backup.event_id([("snp-event-id", None)]) is None


def test_the_stack_env_gives_the_urls(tmp_path: Path) -> None:
    (tmp_path / "stack.env").write_text(
        "export DATABASE_URL=postgresql://snp:p%3Dw@127.0.0.1:5/postgres\n"
        "export KAFKA_BOOTSTRAP=127.0.0.1:9\nexport OPA_URL=http://127.0.0.1:8\n"
    )
    urls = backup.stack_urls(tmp_path)
    assert urls["DATABASE_URL"] == "postgresql://snp:p%3Dw@127.0.0.1:5/postgres"
    assert urls["KAFKA_BOOTSTRAP"] == "127.0.0.1:9"


def test_a_backup_needs_a_running_stack_and_a_new_folder(tmp_path: Path) -> None:
    with pytest.raises(StackError, match="start the stack first"):
        backup.backup(tmp_path / "state", tmp_path / "out")
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "stack.env").write_text("export DATABASE_URL=x\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.dump").write_text("an earlier backup")
    with pytest.raises(StackError, match="not empty"):
        backup.backup(tmp_path / "state", tmp_path / "out")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["old.dump"]


def _a_backup(folder: Path) -> Path:
    folder.mkdir()
    (folder / "manifest.json").write_text('{"format": 1, "databases": [], "topics": []}')
    (folder / "secrets.env").write_text("SNP_KEKS=k\n")
    return folder


def test_a_restore_refuses_a_state_folder_with_anything_in_it(tmp_path: Path) -> None:
    source, state = _a_backup(tmp_path / "backup"), tmp_path / "state"
    state.mkdir()
    (state / "secrets.env").write_text("SNP_KEKS=other\n")
    with pytest.raises(StackError, match="not empty"):
        restore.restore(source, state, random_ports(services.SERVICE_NAMES))
    assert (state / "secrets.env").read_text() == "SNP_KEKS=other\n"  # nothing touched


def test_a_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    with pytest.raises(StackError, match="is not a backup"):
        restore.restore(tmp_path, tmp_path / "state", random_ports(services.SERVICE_NAMES))
    (tmp_path / "manifest.json").write_text('{"format": 99}')
    with pytest.raises(StackError, match="format 99"):
        restore.restore(tmp_path, tmp_path / "state", random_ports(services.SERVICE_NAMES))
    assert not (tmp_path / "state").exists()


def test_restored_secrets_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    source, state = _a_backup(tmp_path / "backup"), tmp_path / "state"
    state.mkdir()
    backup.copy_secrets(source, state)
    assert (state / "secrets.env").read_text() == "SNP_KEKS=k\n"
    assert (state / "secrets.env").stat().st_mode & 0o077 == 0


def test_the_password_goes_to_the_environment_not_the_command_line() -> None:
    url = "postgresql://snp:s3cr%3Dt@127.0.0.1:15432/snp_identity"
    bare, env = database_backup._split_password(url)
    assert bare == "postgresql://snp@127.0.0.1:15432/snp_identity"
    assert env == {"PGPASSWORD": "s3cr=t"}
    assert database_backup._split_password("postgresql://me@db/x") == ("postgresql://me@db/x", {})


def test_the_cli_restores_only_into_an_empty_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source, state = _a_backup(tmp_path / "backup"), tmp_path / "state"
    state.mkdir()
    (state / "pids.json").write_text("{}")
    monkeypatch.setenv("SNP_STATE_DIR", str(state))
    assert cli.main(["restore", str(source)]) == 1
    said = capsys.readouterr().err
    assert f"{state} is not empty" in said and "make clean" in said


def test_a_backup_of_a_stack_that_is_not_up_says_so(tmp_path: Path) -> None:
    (tmp_path / "stack.env").write_text(
        "export DATABASE_URL=postgresql://snp:pw@127.0.0.1:9/postgres\n"
        "export KAFKA_BOOTSTRAP=127.0.0.1:9\n"
    )
    with pytest.raises(StackError, match="is the stack running"):
        backup.backup(tmp_path, tmp_path / "out")
