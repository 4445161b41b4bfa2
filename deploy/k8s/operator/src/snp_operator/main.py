"""`snp-operator`: run the kopf operator for Platform and Tenant resources, or
`snp-operator render platform.yaml` to print the manifests it would apply (no cluster needed)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

import kopf
from kubernetes import config

from snp_operator import platform, tenant  # noqa: F401 (registers the handlers)


@kopf.on.startup()
def configure(settings: kopf.OperatorSettings, **_: Any) -> None:
    try:
        config.load_incluster_config()  # type: ignore[no-untyped-call]
    except config.ConfigException:
        config.load_kube_config()  # type: ignore[no-untyped-call]
    settings.posting.level = logging.WARNING  # Kubernetes Events only for trouble
    settings.watching.server_timeout = 60
    settings.persistence.finalizer = "snp.saferneighbourhoods.org/operator"


def _render(argv: list[str]) -> int:
    from snp_operator import preview

    parser = argparse.ArgumentParser(
        prog="snp-operator render",
        description="Print, as YAML, every object the operator would apply for the Platforms "
        "in a file (checked against the Platform CRD first). Exit 2 if a spec is refused.",
    )
    parser.add_argument("file", help="a YAML file with Platform resources, or - for stdin")
    parser.add_argument(
        "--policy-dir", help="the policy bundle (default $SNP_POLICY_DIR, or policies/)"
    )
    args = parser.parse_args(argv)
    return preview.main(args.file, args.policy_dir)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["render"]:
        return _render(argv[1:])
    parser = argparse.ArgumentParser(
        prog="snp-operator",
        description=__doc__,
        epilog="snp-operator render FILE prints the manifests for a Platform instead.",
    )
    parser.add_argument("--namespace", "-n", action="append", default=[], help="watch only these")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    kopf.run(standalone=True, namespaces=args.namespace, clusterwide=not args.namespace)
    return 0
