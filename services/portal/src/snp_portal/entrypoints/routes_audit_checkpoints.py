"""The log's signed checkpoints and its growth over time, as an SVG chart beside a table of
the same figures. Audit and OPA decide (`audit.events.read`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.domain.log_growth_chart import growth_chart
from snp_portal.entrypoints.pages import render
from snp_portal.entrypoints.routes_audit_log import AUDITORS
from snp_portal.entrypoints.staff import signed_in_staff
from snp_portal.entrypoints.web import apis

router = APIRouter()
SHOWN = 100  # the newest checkpoints; older ones are a page away


@router.get("/auditor/checkpoints")
def checkpoints(request: Request) -> Response:
    staff = signed_in_staff(request, AUDITORS)
    below = request.query_params.get("below", "")
    params = {"limit": str(SHOWN)} | ({"below": below} if below.isdigit() else {})
    found = apis(request).audit.get("/checkpoints", staff.token, params=params)
    listed = found["checkpoints"]
    older = found["next_below"]
    return render(
        request,
        "auditor_checkpoints.html",
        title="Checkpoints and the log's growth",
        active="auditor-checkpoints",
        chart=growth_chart(listed),
        checkpoints=listed,
        older_href=f"/auditor/checkpoints?below={older}" if older is not None else None,
        newest_href="/auditor/checkpoints" if below else None,
        errors={},
    )
