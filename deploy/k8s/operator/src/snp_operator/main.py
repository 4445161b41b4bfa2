"""`snp-operator`: run the kopf operator for Platform and Tenant resources."""

from __future__ import annotations

import argparse
import logging
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-operator", description=__doc__)
    parser.add_argument("--namespace", "-n", action="append", default=[], help="watch only these")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    kopf.run(standalone=True, namespaces=args.namespace, clusterwide=not args.namespace)
    return 0
