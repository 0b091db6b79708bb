"""The runner's exceptions; each message says what happened and what to do next."""

from __future__ import annotations


class RunnerError(Exception):
    """Base class for every error the runner raises on purpose."""


class EngineUnavailable(RunnerError):
    """The Docker engine cannot be reached."""


class ImageBuildError(RunnerError):
    """The sandbox image (or a dependency image) could not be built."""


class ImageMissing(RunnerError):
    """A required image is not present and may not be built here."""


class SnapshotError(RunnerError):
    """The repository cannot be snapshotted (missing, not a directory, unreadable)."""


class DependencyPrepareError(RunnerError):
    """Installing the repository's declared dependencies failed."""
