"""Recipe hashing and mirror discovery (pure), and image reuse on the real engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import docker
import pytest

from runner.errors import ImageBuildError, ImageMissing
from runner.images import (
    RECIPE_DIR,
    dockerfile_tag,
    ensure_image,
    offline_tag,
    parse_debian_mirror,
)


def test_tag_is_stable_and_changes_with_the_recipe(tmp_path: Path) -> None:
    recipe = Path(shutil.copytree(RECIPE_DIR, tmp_path / "recipe"))
    assert offline_tag(recipe) == offline_tag(RECIPE_DIR)
    before_offline, before_dockerfile = offline_tag(recipe), dockerfile_tag(recipe)
    (recipe / "build-rootfs.sh").write_text((recipe / "build-rootfs.sh").read_text() + "# change\n")
    assert offline_tag(recipe) != before_offline
    assert dockerfile_tag(recipe) == before_dockerfile
    assert offline_tag(recipe).startswith("truth-sandbox:")


def test_mirror_is_read_from_deb822_and_one_line_sources() -> None:
    deb822 = "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n"
    security = "deb http://deb.debian.org/debian-security bookworm-security main\n"
    one_line = "deb [arch=amd64] http://other.example/debian/ bookworm main\n"
    assert parse_debian_mirror([security, deb822]) == "http://mirror.example/debian"
    assert parse_debian_mirror([security, one_line]) == "http://other.example/debian"
    assert parse_debian_mirror(["deb https://packages.cloud.google.com/apt cloud-sdk main"]) is None


@pytest.mark.docker
def test_existing_image_is_reused_without_building(
    docker_client: docker.DockerClient, sandbox_image: str
) -> None:
    assert ensure_image(docker_client) == sandbox_image
    assert ensure_image(docker_client, sandbox_image) == sandbox_image


@pytest.mark.docker
def test_named_image_that_is_missing_says_what_to_do(docker_client: docker.DockerClient) -> None:
    with pytest.raises(ImageMissing, match="TRUTH_SANDBOX_IMAGE"):
        ensure_image(docker_client, "truth-sandbox:does-not-exist")


def test_each_python_has_its_own_tag_and_unknown_ones_say_what_is_offered() -> None:
    tags = {offline_tag(RECIPE_DIR, python) for python in ("3.9", "3.11", "3.13")}
    tags |= {dockerfile_tag(RECIPE_DIR, python) for python in ("3.9", "3.11", "3.13")}
    assert len(tags) == 6
    assert offline_tag(RECIPE_DIR) == offline_tag(RECIPE_DIR, "3.11")
    with pytest.raises(ImageBuildError, match=r"3\.9, 3\.11, 3\.13"):
        offline_tag(RECIPE_DIR, "3.12")


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize(("python", "version"), [("3.9", "3.9."), ("3.13", "3.13.")])
def test_offline_images_carry_the_suite_python(
    docker_client: docker.DockerClient, python: str, version: str
) -> None:
    """Builds the image once per machine (debootstrap, 2-3 min), then reuses it."""
    tag = ensure_image(docker_client, python=python)
    assert tag == offline_tag(RECIPE_DIR, python) or tag == dockerfile_tag(RECIPE_DIR, python)
    output = docker_client.containers.run(
        tag, ["python3", "-c", "import platform, pytest; print(platform.python_version())"],
        remove=True, network_disabled=True,
    )  # fmt: skip
    assert output.decode().startswith(version)
