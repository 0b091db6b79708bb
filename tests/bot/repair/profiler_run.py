"""The behaviour profiler run for real on a small project: pytest in a subprocess, as in the
sandbox, with none of this repository's own pytest plugins."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from bot.repair.behaviour import profile_command


def profiler_output(root: Path) -> subprocess.CompletedProcess[str]:
    command = profile_command("python -m pytest -p no:cacheprovider tests")
    assert command is not None
    words = shlex.split(command)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    while "=" in words[0]:  # the command's own environment, as `sh -c` would set it
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    words[0] = sys.executable
    return subprocess.run(words, cwd=root, env=env, capture_output=True, text=True, timeout=120)
