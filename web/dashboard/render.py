"""Jinja2 templates for the dashboard and the one way every page, error included, is rendered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from bot.fix.wording import category_words, plural, session_words, shown_number, status_words

WEB_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(WEB_DIR / "templates"))
TEMPLATES.env.filters.update(
    status_words=status_words, session_words=session_words, category_words=category_words,
    plural=plural, number=shown_number,
)  # fmt: skip
STATIC_DIR = WEB_DIR / "static"


def page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    viewer = context.pop("viewer", None)
    return TEMPLATES.TemplateResponse(
        request, name, {"viewer": viewer, **context}, status_code=status
    )


def error_page(
    request: Request, status: int, title: str, message: str, back: str = "/sessions"
) -> Response:
    """Every refusal says what happened and what to do next; `back` must not lead to the same
    refusal (a login error goes back to the landing page, which needs no login)."""
    return page(request, "error.html", status, title=title, message=message, back=back)


def not_found(request: Request) -> Response:
    # The same answer for "no such session" and "not yours", so ids of other orgs stay secret.
    return error_page(
        request,
        404,
        "Session not found",
        "No session with this id is visible to you. Check the link, or sign in with an account "
        "that can access the repository's GitHub App installation.",
    )
