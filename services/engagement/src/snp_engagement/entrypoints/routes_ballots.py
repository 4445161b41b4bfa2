"""`/engagement/panels/{gid}/periods/{period}/ballot`: the members' vote on a period's
priorities, and the officers' decision."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from snp_engagement.entrypoints.dependencies import context, metadata
from snp_engagement.entrypoints.routes_priorities import PLAN, Id, Period
from snp_engagement.entrypoints.schemas import PriorityIn, VoteIn
from snp_engagement.service_layer import ballots
from snp_platform.tokens import CurrentPrincipal

router = APIRouter(prefix="/engagement", tags=["ballots"])
BALLOT = PLAN + "/ballot"


@router.get(BALLOT)
def read_ballot(
    group_id: Id, period: Period, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The candidates proposed for the period and the caller's own vote (no counts)."""
    return ballots.read_ballot(context(request), principal, group_id, period)


@router.get(BALLOT + "/results")
def read_results(
    group_id: Id, period: Period, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Each candidate's votes and the number of voters, for the panel's officers."""
    return ballots.read_results(context(request), principal, group_id, period)


@router.post(BALLOT + "/candidates", status_code=201)
def propose(
    group_id: Id, period: Period, body: PriorityIn, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """A candidate priority for the members to vote on."""
    fields = (body.title, body.description, body.category)
    meta = metadata(request, principal.account_id)
    candidate_id = ballots.propose(context(request), principal, group_id, period, fields, meta)
    return {"candidate_id": candidate_id, "group_id": group_id, "period": period}


@router.put(BALLOT + "/vote", status_code=204)
def vote(
    group_id: Id, period: Period, body: VoteIn, request: Request, principal: CurrentPrincipal
) -> Response:
    """The caller's one vote for the period (voting again moves it)."""
    meta = metadata(request, principal.account_id)
    ballots.vote(context(request), principal, group_id, period, body.candidate_id, meta)
    return Response(status_code=204)


@router.post(BALLOT + "/close", status_code=204)
def close(group_id: Id, period: Period, request: Request, principal: CurrentPrincipal) -> Response:
    """No more candidates or votes; the officers decide from the results."""
    ballots.close(
        context(request), principal, group_id, period, metadata(request, principal.account_id)
    )
    return Response(status_code=204)


@router.post(BALLOT + "/candidates/{candidate_id}/adopt", status_code=201)
def adopt(
    group_id: Id,
    period: Period,
    candidate_id: Id,
    request: Request,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    """The candidate becomes the period's next priority (after the vote has closed)."""
    meta = metadata(request, principal.account_id)
    priority_id = ballots.adopt(context(request), principal, group_id, period, candidate_id, meta)
    return {"priority_id": priority_id, "group_id": group_id, "period": period}
