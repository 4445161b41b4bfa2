"""Fail when an existing protobuf message, enum or service changed incompatibly.

Compares the .proto files in the working tree with earlier versions from git: HEAD (uncommitted
edits), `main` (a branch's changes) and HEAD~1 (what the latest commit changed), or just
$PROTO_BASE_REF when set. Breaking: a message, enum or service removed; a field removed without
reserving its number, renumbered, renamed or retyped; an enum value removed; a method's types
changed. Adding messages, fields (new numbers) and enum values is fine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from google.protobuf.descriptor_pb2 import DescriptorProto, FileDescriptorSet
from grpc_tools import protoc  # type: ignore[import-untyped]

PROTO_ROOT = Path(__file__).resolve().parent
REPO_ROOT = PROTO_ROOT.parent


def compile_descriptors(root: Path) -> FileDescriptorSet:
    """Parse every .proto under root into one descriptor set."""
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.proto"))
    result = FileDescriptorSet()
    if not files:
        return result
    include = str(Path(protoc.__file__).parent / "_proto")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "set.binpb"
        args = ["protoc", f"-I{root}", f"-I{include}", f"--descriptor_set_out={out}", *files]
        if protoc.main(args) != 0:
            raise SystemExit(f"protoc could not parse the .proto files under {root}")
        result.ParseFromString(out.read_bytes())
    return result


def _messages(fds: FileDescriptorSet) -> dict[str, DescriptorProto]:
    found: dict[str, DescriptorProto] = {}

    def walk(prefix: str, message: DescriptorProto) -> None:
        name = f"{prefix}.{message.name}"
        found[name] = message
        for nested in message.nested_type:
            walk(name, nested)

    for file in fds.file:
        for message in file.message_type:
            walk(file.package, message)
    return found


def breaking_changes(old: FileDescriptorSet, new: FileDescriptorSet) -> list[str]:
    """Every incompatible difference between two descriptor sets, as readable lines."""
    problems: list[str] = []
    new_messages = _messages(new)
    for name, before in _messages(old).items():
        after = new_messages.get(name)
        if after is None:
            problems.append(f"message {name} removed")
            continue
        by_number = {f.number: f for f in after.field}
        by_name = {f.name: f for f in after.field}
        reserved = [(r.start, r.end) for r in after.reserved_range]
        for field in before.field:
            now = by_number.get(field.number)
            where = f"{name}.{field.name} (field {field.number})"
            if now is None:
                if field.name in by_name:
                    problems.append(f"{where} renumbered to {by_name[field.name].number}")
                elif not any(start <= field.number < end for start, end in reserved):
                    problems.append(f"{where} removed without reserving its number")
            elif now.name != field.name:
                problems.append(f"{where} renamed to {now.name}")
            elif (now.type, now.type_name, now.label) != (field.type, field.type_name, field.label):
                problems.append(f"{where} changed type")
    problems += _enum_changes(old, new) + _service_changes(old, new)
    return problems


def _enum_changes(old: FileDescriptorSet, new: FileDescriptorSet) -> list[str]:
    def enums(fds: FileDescriptorSet) -> dict[str, set[int]]:
        top = {
            f"{f.package}.{e.name}": {v.number for v in e.value}
            for f in fds.file
            for e in f.enum_type
        }
        nested = {
            f"{name}.{e.name}": {v.number for v in e.value}
            for name, m in _messages(fds).items()
            for e in m.enum_type
        }
        return top | nested

    after = enums(new)
    return [
        f"enum {name} removed"
        if name not in after
        else f"enum {name} lost values {sorted(values - after[name])}"
        for name, values in enums(old).items()
        if name not in after or values - after[name]
    ]


def _service_changes(old: FileDescriptorSet, new: FileDescriptorSet) -> list[str]:
    def methods(fds: FileDescriptorSet) -> dict[str, tuple[str, str, bool, bool]]:
        return {
            f"{f.package}.{s.name}/{m.name}": (
                m.input_type,
                m.output_type,
                m.client_streaming,
                m.server_streaming,
            )
            for f in fds.file
            for s in f.service
            for m in s.method
        }

    after = methods(new)
    return [
        f"rpc {name} removed" if name not in after else f"rpc {name} changed its signature"
        for name, signature in methods(old).items()
        if after.get(name) != signature
    ]


def _base_refs() -> list[str]:
    if os.environ.get("PROTO_BASE_REF"):
        return [os.environ["PROTO_BASE_REF"]]
    refs = []
    for ref in ("HEAD", "main", "HEAD~1"):
        probe = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() not in refs:
            refs.append(probe.stdout.strip())
    return refs


def _protos_at(ref: str, into: Path) -> bool:
    """Write the ref's .proto files under `into`; False if the ref has none."""
    listing = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", ref, "--", "proto"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    paths = [p for p in listing.stdout.splitlines() if p.endswith(".proto")]
    for path in paths:
        blob = subprocess.run(
            ["git", "show", f"{ref}:{path}"], cwd=REPO_ROOT, capture_output=True, check=True
        )
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return bool(paths)


def main() -> int:
    current = compile_descriptors(PROTO_ROOT)
    failures = 0
    for ref in _base_refs():
        with tempfile.TemporaryDirectory() as tmp:
            if not _protos_at(ref, Path(tmp)):
                continue
            problems = breaking_changes(compile_descriptors(Path(tmp) / "proto"), current)
        for problem in problems:
            print(f"breaking change against {ref[:12]}: {problem}")
        failures += len(problems)
    if failures:
        print(
            "Event schemas evolve compatibly only: add fields with new numbers, reserve old ones."
        )
        return 1
    print("no breaking protobuf changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
