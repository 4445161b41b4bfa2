"""Following a report: "Your reports", a signed-in resident's own named reports, and each one's
"what happens next" (messaging's notices link to `/reports/{id}`); and "Follow a report", an
anonymous one by its reference and secret. The secret is posted, never put in a URL, and the
follow call carries no token and no browser address, as the anonymous filing does."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from snp_portal.adapters import reports as engagement
from snp_portal.adapters.api import Refusal
from snp_portal.domain import reports as words
from snp_portal.entrypoints.force_pages import the_force
from snp_portal.entrypoints.pages import render, render_form
from snp_portal.entrypoints.report_pages import (
    cursor_of,
    described,
    found_or_404,
    page_links,
    reports_api,
)
from snp_portal.entrypoints.web import apis, posted_form, session_or_new, set_cookie, signed_in

router = APIRouter()
BANNERS = {"filed": "Your report has been sent to your ward's police team."}


@router.get("/reports")
def your_reports(request: Request, cursor: str = "") -> Response:
    user = signed_in(request)
    cursor = cursor_of(cursor)
    found = reports_api(request, user.token).mine(cursor or None)
    return render(
        request,
        "reports_mine.html",
        title="Your reports",
        active="reports",
        reports=[described(r) for r in found["reports"]],
        pagination=page_links("/reports", {}, cursor, found.get("next_cursor")),
        force_slug=user.tenant,
        errors={},
    )


@router.get("/reports/{report_id}")
def your_report(request: Request, report_id: str, done: str | None = None) -> Response:
    user = signed_in(request)
    report = found_or_404(reports_api(request, user.token).what_happens_next, report_id)
    return render(
        request,
        "reports_timeline.html",
        title="What happens next with your report",
        active="reports",
        report=described(report),
        banner=BANNERS.get(done or ""),
        errors={},
    )


@router.get("/forces/{tenant}/report/follow")
def follow_form(request: Request, tenant: str) -> Response:
    force = the_force(request, tenant)
    session, fresh = session_or_new(request)
    page = render_form(
        request, "reports_follow.html", title="Follow a report", force_slug=force.slug
    )
    if fresh:
        set_cookie(request, page, session)
    return page


@router.post("/forces/{tenant}/report/follow")
async def follow(request: Request, tenant: str) -> Response:
    force = the_force(request, tenant)
    _session, form = await posted_form(request)
    reference = form.get("reference", "").strip().upper()
    secret = form.get("secret", "").strip()
    errors = words.follow_errors(reference, secret)
    if not errors:
        try:
            report = engagement.follow_anonymously(
                apis(request).engagement, force.slug, reference, secret
            )
        except Refusal as refused:
            if refused.status not in (404, 422):
                raise
            errors = {"reference": "No report has this reference and secret. Check them both"}
        else:
            return render(
                request,
                "reports_timeline.html",
                title="What happens next with your report",
                report=described(report),
                reference=report["reference"],
                errors={},
            )
    # The secret is never put back in the form: it is typed again.
    values = {"reference": reference}
    return render_form(
        request,
        "reports_follow.html",
        errors,
        values,
        400,
        title="Follow a report",
        force_slug=force.slug,
    )
