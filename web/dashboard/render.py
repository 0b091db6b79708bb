"""Jinja2 templates for the dashboard and the one way every page, error included, is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

WEB_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(WEB_DIR / "templates"))
STATIC_DIR = WEB_DIR / "static"


def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    viewer = context.pop("viewer", None)
    return TEMPLATES.TemplateResponse(
        request, name, {"viewer": viewer, **context}, status_code=status
    )


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    """Every refusal says what happened and what to do next."""
    return page(request, "error.html", status, title=title, message=message)


def not_found(request: Request) -> Response:
    # The same answer for "no such session" and "not yours", so ids of other orgs stay secret.
    return error_page(
        request,
        404,
        "Session not found",
        "No session with this id is visible to you. Check the link, or sign in with an account "
        "that can access the repository's GitHub App installation.",
    )
