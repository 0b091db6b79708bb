"""Content-addressed sandbox images: tag = hash of the recipe; Dockerfile or offline build."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import docker
from docker.errors import APIError, BuildError, ImageNotFound

from runner.errors import ImageBuildError, ImageMissing

log = logging.getLogger(__name__)

RECIPE_DIR = Path(__file__).resolve().parent.parent / "deploy" / "sandbox"
IMAGE_REPOSITORY = "truth-sandbox"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
REGISTRY_PROBE_URL = "https://registry-1.docker.io/v2/"
BUILD_LOCK = Path(tempfile.gettempdir()) / "truth-sandbox-build.lock"
DEFAULT_PYTHON = "3.11"
# Offline each CPython comes from the Debian suite shipping it; the Dockerfile uses python:X.Y-slim.
DEBIAN_SUITES = {"3.9": "bullseye", "3.11": "bookworm", "3.13": "trixie"}
PYTHON_VERSIONS = tuple(DEBIAN_SUITES)

# `docker import` keeps no metadata, so the offline image gets it here; part of the recipe hash.
OFFLINE_IMAGE_CHANGES = (
    "USER sandbox",
    "WORKDIR /workspace",
    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "ENV LANG=C.UTF-8",
    "ENV HOME=/tmp",
    "ENV PYTHONDONTWRITEBYTECODE=1",
    "ENV PYTHONUNBUFFERED=1",
)


def recipe_hash(files: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """A short, stable hash over the recipe files' names and contents plus extra strings."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:16]


def _suite(python: str) -> str:
    if python not in DEBIAN_SUITES:
        raise ImageBuildError(
            f"No sandbox image for Python {python}: the builder makes "
            f"{', '.join(PYTHON_VERSIONS)}. Set `python:` in .github/truth.yml to one of them."
        )
    return DEBIAN_SUITES[python]


def offline_tag(recipe_dir: Path = RECIPE_DIR, python: str = DEFAULT_PYTHON) -> str:
    files = [recipe_dir / "build-rootfs.sh"]
    extra = ("offline", _suite(python), *OFFLINE_IMAGE_CHANGES)
    return f"{IMAGE_REPOSITORY}:{recipe_hash(files, extra)}"


def dockerfile_tag(recipe_dir: Path = RECIPE_DIR, python: str = DEFAULT_PYTHON) -> str:
    _suite(python)
    extra = ("dockerfile", python)
    return f"{IMAGE_REPOSITORY}:{recipe_hash([recipe_dir / 'Dockerfile'], extra)}"


def parse_debian_mirror(sources: Iterable[str]) -> str | None:
    """The first Debian archive URL in apt sources (one-line or deb822 format)."""
    for text in sources:
        for raw in text.splitlines():
            line = raw.strip()
            urls: list[str] = []
            if line.startswith("deb ") and not line.startswith("deb-src"):
                urls = [w for w in line.split()[1:] if "://" in w][:1]
            elif line.lower().startswith("uris:"):
                urls = line.split(":", 1)[1].split()
            for url in urls:
                if url.rstrip("/").endswith("/debian"):
                    return url.rstrip("/")
    return None


def host_debian_mirror() -> str:
    """The mirror apt uses on this host (it is known to be reachable), else deb.debian.org."""
    paths = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    texts = []
    for path in paths:
        with contextlib.suppress(OSError):
            texts.append(path.read_text())
    return parse_debian_mirror(texts) or DEFAULT_MIRROR


def registry_reachable(timeout: float = 2.0) -> bool:
    """Whether Docker Hub answers; 401 (auth required) is the normal answer of a live registry."""
    try:
        with urllib.request.urlopen(REGISTRY_PROBE_URL, timeout=timeout) as response:
            return int(response.status) < 500
    except urllib.error.HTTPError as exc:
        return exc.code == 401
    except (OSError, ValueError):
        return False


def image_exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except ImageNotFound:
        return False
    return True


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    # Several test sessions or workers may ask for the image at once; build it only once.
    with open(BUILD_LOCK, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_with_dockerfile(
    client: docker.DockerClient, recipe_dir: Path = RECIPE_DIR, python: str = DEFAULT_PYTHON
) -> str:
    tag = dockerfile_tag(recipe_dir, python)
    try:
        client.images.build(
            path=str(recipe_dir),
            dockerfile="Dockerfile",
            tag=tag,
            rm=True,
            buildargs={"PYTHON": python},
        )
    except (BuildError, APIError) as exc:
        raise ImageBuildError(
            f"Building {tag} from {recipe_dir / 'Dockerfile'} failed: {exc}. Without a "
            "reachable registry use `truth sandbox build --offline`."
        ) from exc
    return tag


def build_offline(
    client: docker.DockerClient,
    recipe_dir: Path = RECIPE_DIR,
    mirror: str | None = None,
    python: str = DEFAULT_PYTHON,
) -> str:
    """debootstrap a Debian minbase and `docker import` it; needs root and the Debian mirror."""
    tag = offline_tag(recipe_dir, python)
    if os.geteuid() != 0:
        raise ImageBuildError(
            "The offline sandbox builder runs debootstrap, which needs root: run "
            "`sudo truth sandbox build --offline`, or `truth sandbox build --dockerfile` "
            "where a registry is reachable."
        )
    mirror = mirror or host_debian_mirror()
    with tempfile.TemporaryDirectory(prefix="truth-rootfs-") as work:
        rootfs = Path(work) / "rootfs"
        archive = Path(work) / "rootfs.tar"
        script = recipe_dir / "build-rootfs.sh"
        steps = [
            ["sh", str(script), str(rootfs), mirror, _suite(python)],
            ["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(archive), "."],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                tail = (done.stderr or done.stdout)[-2000:]
                raise ImageBuildError(
                    f"Offline sandbox build step `{' '.join(step[:2])}` failed "
                    f"(exit {done.returncode}) with mirror {mirror}:\n{tail}\n"
                    "Check that the mirror is reachable (`apt-get update` works) and retry."
                )
        repository, _, version = tag.partition(":")
        try:
            client.api.import_image_from_file(
                str(archive),
                repository=repository,
                tag=version,
                changes=list(OFFLINE_IMAGE_CHANGES),
            )
        except APIError as exc:
            raise ImageBuildError(
                f"`docker import` of the sandbox root filesystem failed: {exc}"
            ) from exc
    return tag


def ensure_image(
    client: docker.DockerClient,
    image: str | None = None,
    method: str = "auto",
    recipe_dir: Path = RECIPE_DIR,
    python: str = DEFAULT_PYTHON,
) -> str:
    """The sandbox image tag for `python`, building it if needed. method: auto | offline |
    dockerfile. A named image (TRUTH_SANDBOX_IMAGE) is used as it is, whatever `python` says."""
    if image:
        if image_exists(client, image):
            return image
        raise ImageMissing(
            f"Sandbox image {image} (TRUTH_SANDBOX_IMAGE) is not present on the Docker engine. "
            "Build or load it there, or unset TRUTH_SANDBOX_IMAGE to use `truth sandbox build`."
        )
    candidates = {
        "offline": offline_tag(recipe_dir, python),
        "dockerfile": dockerfile_tag(recipe_dir, python),
    }
    wanted = [candidates[method]] if method in candidates else list(candidates.values())
    for tag in wanted:
        if image_exists(client, tag):
            return tag
    with _build_lock():
        for tag in wanted:
            if image_exists(client, tag):
                return tag
        if method == "dockerfile" or (method == "auto" and registry_reachable()):
            return build_with_dockerfile(client, recipe_dir, python)
        return build_offline(client, recipe_dir, python=python)
