"""Generate the Python code for every .proto under proto/ into libs/proto/src, or check it is fresh.

`make proto` runs `generate`; `make proto-check` runs `check-fresh` (the committed code must equal
what the current .proto files produce).
"""

from __future__ import annotations

import filecmp
import sys
import tempfile
from pathlib import Path

from grpc_tools import protoc  # type: ignore[import-untyped]

PROTO_ROOT = Path(__file__).resolve().parent
OUTPUT_ROOT = PROTO_ROOT.parent / "libs" / "proto" / "src"
GENERATED_PACKAGE = "snp"


def proto_files() -> list[Path]:
    return sorted(PROTO_ROOT.rglob("*.proto"))


def generate(output_root: Path) -> None:
    """Write *_pb2.py, *_pb2.pyi and *_pb2_grpc.py for every .proto, plus package __init__ files."""
    include = str(Path(protoc.__file__).parent / "_proto")
    sources = [str(p.relative_to(PROTO_ROOT)) for p in proto_files()]
    args = [
        "protoc",
        f"-I{PROTO_ROOT}",
        f"-I{include}",
        f"--python_out={output_root}",
        f"--pyi_out={output_root}",
        f"--grpc_python_out={output_root}",
        *sources,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for package_dir in [
        output_root / GENERATED_PACKAGE,
        *(output_root / GENERATED_PACKAGE).rglob("*"),
    ]:
        if package_dir.is_dir() and package_dir.name != "__pycache__":
            (package_dir / "__init__.py").touch()


def generated_files(root: Path) -> set[Path]:
    return {
        p.relative_to(root)
        for p in (root / GENERATED_PACKAGE).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def check_fresh() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh_root = Path(tmp)
        generate(fresh_root)
        fresh, committed = generated_files(fresh_root), generated_files(OUTPUT_ROOT)
        stale = sorted(str(p) for p in fresh ^ committed)
        stale += sorted(
            str(p)
            for p in fresh & committed
            if not filecmp.cmp(fresh_root / p, OUTPUT_ROOT / p, shallow=False)
        )
    if stale:
        print("generated protobuf code is stale; run `make proto` and commit:", *stale, sep="\n  ")
        return 1
    print(f"generated protobuf code is fresh ({len(fresh)} files)")
    return 0


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "generate"
    if command == "generate":
        generate(OUTPUT_ROOT)
        return 0
    if command == "check-fresh":
        return check_fresh()
    raise SystemExit(f"usage: {sys.argv[0]} generate|check-fresh")


if __name__ == "__main__":
    sys.exit(main())
