"""Editor links for a session's diff: vscode:// for local checkouts, vscode.dev for GitHub."""

from __future__ import annotations

from urllib.parse import quote

from db.fix_sessions import FixSession
from web.dashboard.diffview import first_change


def vscode_link(session: FixSession, diff: str) -> str | None:
    """Where "open in VS Code" points for this diff's first change, or None if nowhere."""
    where = first_change(diff)
    if where is None:
        return None
    path, line = where
    if session.repo_path:
        folder = session.repo_path.rstrip("/")
        return f"vscode://file{quote(folder)}/{quote(path)}:{line}"
    if session.repository and session.head_sha:
        owner_repo = quote(session.repository)
        return (
            f"https://vscode.dev/github/{owner_repo}/blob/{quote(session.head_sha)}/"
            f"{quote(path)}#L{line}"
        )
    return None
