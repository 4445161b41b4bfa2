"""/assets: GOV.UK Frontend's CSS and JavaScript from the npm cache, and the portal's own files.

Only what is listed is served: no GDS Transport font and no crown or GOV.UK images (the
platform is not a GOV.UK service)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

OWN = Path(__file__).resolve().parent.parent / "static"
_FRONTEND = {"govuk-frontend.min.css": "text/css", "govuk-frontend.min.js": "text/javascript"}
_OWN = {"portal.css": "text/css", "portal.js": "text/javascript"}


def router(assets_dir: str) -> APIRouter:
    dist = Path(assets_dir) / "govuk-frontend" / "dist" / "govuk"
    routes = APIRouter()

    @routes.get("/assets/{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name in _FRONTEND:
            path, media = dist / name, _FRONTEND[name]
        elif name in _OWN:
            path, media = OWN / name, _OWN[name]
        else:
            raise HTTPException(404)
        if not path.is_file():
            raise HTTPException(404)
        return FileResponse(
            path, media_type=media, headers={"Cache-Control": "public, max-age=3600"}
        )

    return routes
