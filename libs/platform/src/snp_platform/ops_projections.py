"""A service's projections for its operators (part of the ops routes): each one's name, what it
is rebuilt from, how many events it has applied and its latest rebuild; starting a rebuild
(`platform.projection.rebuild`, answered 202 at once, 409 while one runs) and its progress.
Names, counts and times only, like the rest of the ops routes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from psycopg_pool import ConnectionPool

from snp_platform.opa import OpaClient
from snp_platform.problems import PROBLEM_TYPE_BASE, Problem
from snp_platform.rebuilds import Rebuildable, RebuildBusy, latest_rebuild, start_rebuild
from snp_platform.tokens import CurrentPrincipal, Principal

OpsAccess = Callable[[Request], tuple[ConnectionPool[Any], OpaClient]]
Allow = Callable[[Request, Principal, str], None]


def add_projection_routes(
    router: APIRouter, access: OpsAccess, allow: Allow, projections: Sequence[Rebuildable]
) -> None:
    """`GET .../projections`, `GET .../projections/{name}` (with its latest rebuild's
    progress) and `POST .../projections/{name}/rebuild`."""
    by_name = {p.name: p for p in projections}

    def known(name: str) -> Rebuildable:
        if name not in by_name:
            raise Problem(
                404, detail="No such projection.", type_uri=PROBLEM_TYPE_BASE + "not-found"
            )
        return by_name[name]

    def report(pool: ConnectionPool[Any], target: Rebuildable) -> dict[str, Any]:
        with pool.connection() as conn:
            last = latest_rebuild(conn, target.name)
            applied = target.applied(conn)
        rebuilding = last is not None and last["state"] == "running"
        return {
            "name": target.name,
            "source": target.source,
            "applied": applied,
            "state": "rebuilding" if rebuilding else "live",
            "last_rebuild": last,
        }

    @router.get("/projections")
    def list_projections(request: Request, who: CurrentPrincipal) -> dict[str, Any]:
        allow(request, who, "platform.health.read")
        pool, _opa = access(request)
        return {"projections": [report(pool, p) for p in projections]}

    @router.get("/projections/{name}")
    def projection(request: Request, name: str, who: CurrentPrincipal) -> dict[str, Any]:
        allow(request, who, "platform.health.read")
        pool, _opa = access(request)
        return report(pool, known(name))

    @router.post("/projections/{name}/rebuild", status_code=202)
    def rebuild(
        request: Request, name: str, who: CurrentPrincipal, response: Response
    ) -> dict[str, Any]:
        """Start rebuilding the projection in the background; follow it at `Location`."""
        allow(request, who, "platform.projection.rebuild")
        target = known(name)
        pool, _opa = access(request)
        try:
            rebuild_id = start_rebuild(pool, request.app.state.settings.kafka_bootstrap, target)
        except RebuildBusy as busy:
            raise Problem(
                409,
                detail="This projection is being rebuilt already; wait for that rebuild to end.",
                type_uri=PROBLEM_TYPE_BASE + "rebuild-running",
            ) from busy
        response.headers["Location"] = str(request.url_for("projection", name=name))
        return {"name": name, "rebuild": rebuild_id, "state": "running"}
