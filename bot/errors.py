"""The bot's exceptions: each message says what happened and what the user can do next.

    TruthError                      base of every error the bot raises on purpose
    ├── ConfigError                 a setting is missing or malformed (bot/settings.py)
    ├── ConfigInvalid           .github/truth.yml cannot be used (bot/github/config.py)
    └── UnsafeArchive               a repository tarball tries to escape its folder

`runner.errors.RunnerError` (sandbox, images, dependency installs) sits beside it. Both carry
advice meant for the user, so a job that ends on one shows its message on the PR and the
terminal; any other exception is shown as an internal error and logged in full.
"""

from __future__ import annotations

from runner.errors import RunnerError


class TruthError(Exception):
    """Base class for every error the bot raises on purpose; the message is shown to users."""


class ConfigError(TruthError, ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


class ConfigInvalid(TruthError, ValueError):
    """The repository's .github/truth.yml is not valid YAML or has wrong keys or types."""


class UnsafeArchive(TruthError):
    """A repository tarball holds paths that would land outside the checkout."""


def user_facing(exc: BaseException) -> str:
    """What to tell a user about `exc`: our own errors say it themselves, others stay internal."""
    if isinstance(exc, TruthError | RunnerError):
        return str(exc)
    return f"an internal error ({type(exc).__name__})"
