"""What a force's pages share: the force named in the path, known to identity, or 404."""

from __future__ import annotations

from fastapi import HTTPException, Request

from snp_portal.adapters.forces import Force, ForceNames
from snp_portal.entrypoints.web import SignedIn, SignInFirst, signed_in


def the_force(request: Request, tenant: str) -> Force:
    """The force whose page this is (the header names it), or the 404 page."""
    names: ForceNames = request.app.state.force_names
    force = names.find(tenant)
    if force is None:
        raise HTTPException(404)
    request.state.force = force.slug
    return force


def maybe_signed_in(request: Request) -> SignedIn | None:
    """The signed-in user, or None for a visitor (a public page works for both)."""
    try:
        return signed_in(request)
    except SignInFirst:  # `signed_in` has set request.state.session for the header
        return None
