"""Tests for pre-flight sanitization of candidate patches."""

import pytest

from bot.repair.diffs import make_diff
from bot.repair.sanitize import check_patch

ORIGINAL = "import os\n\n\ndef size(path):\n    return os.path.getsize(path)\n"


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "files.py").write_text(ORIGINAL)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_files.py").write_text("def test_x():\n    assert True\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "prod.py").write_text("X = 1\n")
    return tmp_path


def patch_body(body: str) -> str:
    return make_diff(
        "pkg/files.py", ORIGINAL, ORIGINAL.replace("    return os.path.getsize(path)\n", body)
    )


def test_a_plain_logic_fix_is_accepted(repo):
    result = check_patch(repo, patch_body("    return os.path.getsize(path) + 1\n"))
    assert result.ok, result.reason


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("    os.system('rm -rf /')\n    return 0\n", "os.system"),
        ("    import subprocess\n    return subprocess.run(['ls']).returncode\n", "subprocess"),
        ("    return eval(path)\n", "eval"),
        ("    exec('x = 1')\n    return 0\n", "exec"),
        ("    return __import__('socket')\n", "__import__"),
        ("    import shutil\n    shutil.rmtree(path)\n    return 0\n", "shutil.rmtree"),
        ("    os.remove(path)\n    return 0\n", "os.remove"),
        ("    from pathlib import Path\n    Path(path).unlink()\n    return 0\n", "unlink"),
        ("    import pickle\n    return pickle.loads(path)\n", "pickle.loads"),
        ("    import socket as s\n    return s.create_connection(('x', 1))\n", "socket"),
        ("    from os import system as run\n    return run('ls')\n", "os.system"),
        ("    import ctypes\n    return ctypes.CDLL(path)\n", "ctypes"),
    ],
)
def test_added_dangerous_calls_are_rejected_with_their_name(repo, body, named):
    result = check_patch(repo, patch_body(body))
    assert not result.ok
    assert named in result.reason and "pkg/files.py" in result.reason


def test_dangerous_calls_already_in_the_file_do_not_block_an_unrelated_fix(repo):
    source = "import os\n\n\ndef wipe(p):\n    os.remove(p)\n    return 1\n"
    (repo / "pkg" / "wipe.py").write_text(source)
    diff = make_diff("pkg/wipe.py", source, source.replace("return 1", "return 0"))
    assert check_patch(repo, diff).ok


def test_the_repository_config_can_allow_dangerous_calls(repo):
    result = check_patch(repo, patch_body("    return os.system(path)\n"), allow_dangerous=True)
    assert result.ok and "allowed" in result.reason
    # integrity rules (here: dynamic code that could hide any call) are never lifted
    hidden = check_patch(repo, patch_body("    return eval(path)\n"), allow_dangerous=True)
    assert not hidden.ok and "dynamic-code" in hidden.reason


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("../outside.py", "climbs out"),
        ("/etc/passwd", "absolute path"),
        (".git/config", "git internals"),
    ],
)
def test_paths_outside_the_repository_are_rejected(repo, path, words):
    diff = f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+x = 1\n".replace("b//", "/")
    result = check_patch(repo, diff)
    assert not result.ok and words in result.reason


def test_deleting_a_test_file_is_rejected(repo):
    diff = make_diff("tests/test_files.py", (repo / "tests" / "test_files.py").read_text(), "")
    diff = diff.replace("+++ b/tests/test_files.py", "+++ /dev/null")
    result = check_patch(repo, diff)
    assert not result.ok and "deletes the test file tests/test_files.py" in result.reason


def test_protected_globs_from_the_config_are_rejected(repo):
    diff = make_diff("deploy/prod.py", "X = 1\n", "X = 2\n")
    result = check_patch(repo, diff, protected_paths=["deploy/**"])
    assert not result.ok and "protected" in result.reason and "deploy/**" in result.reason
    assert check_patch(repo, diff, protected_paths=["docs/*"]).ok


def test_a_patch_that_breaks_the_syntax_is_rejected(repo):
    result = check_patch(repo, patch_body("    return (\n"))
    assert not result.ok and "is not valid Python" in result.reason


def test_garbage_and_stale_patches_are_rejected_with_a_reason(repo):
    assert "not a valid unified diff" in check_patch(repo, "hello").reason
    stale = make_diff("pkg/files.py", "something else\n", "other\n")
    assert "does not apply" in check_patch(repo, stale).reason
    missing = make_diff("pkg/nope.py", "a\n", "b\n")
    assert "not in the repository" in check_patch(repo, missing).reason
