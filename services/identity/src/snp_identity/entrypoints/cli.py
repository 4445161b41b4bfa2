"""`snp-identity api|relay`: the identity service's processes."""

from __future__ import annotations

import argparse
import sys

from psycopg_pool import ConnectionPool

from snp_identity.entrypoints.app import build_app, readiness_checks
from snp_identity.settings import IdentitySettings
from snp_platform.runtime import prepare, serve_api, serve_relay
from snp_platform.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="snp-identity", description=__doc__)
    parser.add_argument("role", choices=["api", "relay"], help="which process to run")
    args = parser.parse_args(argv)
    settings = load_settings(IdentitySettings)
    prepare(settings)
    if args.role == "api":
        serve_api(settings, build_app(settings), readiness_checks=readiness_checks(settings))
    else:
        with ConnectionPool(settings.database_url, min_size=1, max_size=2) as pool:
            serve_relay(settings, pool)
    return 0


if __name__ == "__main__":
    sys.exit(main())
