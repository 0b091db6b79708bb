"""The prepare step's shell script: each install step timed and reported by a marker line."""

from __future__ import annotations

import shlex

CA_IN_CONTAINER = "/etc/truth-ca-bundle.pem"
STEP_MARK = "TRUTH-STEP"
LOG_MARK = "TRUTH-LOG"
FACT_MARK = "TRUTH-FACT"
VENV = "/opt/venv"
FILES_DIR = "/tmp/truth-deps"
REPO_COPY = "/workspace/repo"  # the path tests run at, so editable installs stay valid
INSTALL_COMMAND_FAILED = 3

_FUNCTIONS = rf"""
step() {{
    name="$1"; shift
    start=$(date +%s)
    if "$@" >{FILES_DIR}/step.log 2>&1; then
        echo "{STEP_MARK} ok $(( $(date +%s) - start )) $name"
    else
        code=$?
        echo "{STEP_MARK} failed $(( $(date +%s) - start )) $name (exit $code)"
        {{ grep -iE 'error|refused|denied|no matching|not found|requires' {FILES_DIR}/step.log \
            | grep -v '^\s*$' | head -n 8; grep -v '^\s*$' {FILES_DIR}/step.log | tail -n 6; }} \
            | sed 's/^/{LOG_MARK} /'
        return 1
    fi
}}
"""
# Bare `pytest`/`py.test` must run the venv's Python (Debian's /usr/bin/pytest would not see it).
_SHIM = "#!/opt/venv/bin/python\nimport sys\nimport pytest\nsys.exit(pytest.main())\n"


def _pip(args: str) -> str:
    return f"{VENV}/bin/python -m pip install {args}"


def install_script(
    requirement_files: list[str],
    options: list[str],
    has_constraints: bool,
    project_extras: list[str] | None,
    commands: list[str],
    install_command: str | None,
    ca_bundle: bool,
    egress: list[str],
) -> str:
    """CA and proxy settings live only in this file, which deletes itself with the repo copy,
    so they never reach the committed image's config or layers. `egress` starts the relay to
    the allow-list proxy and points pip at it (runner/egress_fence.py); the host's own proxy
    variables are never copied in."""
    lines = [
        "set -u",
        "export HOME=/tmp PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_NO_INPUT=1",
    ]
    if ca_bundle:
        for name in ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
            lines.append(f"export {name}={CA_IN_CONTAINER}")
    lines += egress
    lines += [
        f"trap 'rm -rf {FILES_DIR} {REPO_COPY}' EXIT",
        _FUNCTIONS,
        f"python3 -m venv --system-site-packages {VENV} || exit 10",
        f"export PATH={VENV}/bin:$PATH VIRTUAL_ENV={VENV}",
        f"cd {REPO_COPY} || exit 11",
        # Snapshot files carry mtime 0; wheel builders (flit, hatch) refuse pre-1980 zip dates.
        f"find {REPO_COPY} -exec touch -c {{}} +",
        f'step "upgrade pip" {_pip("--upgrade pip")}',
    ]
    opts = " ".join(shlex.quote(o) for part in options for o in shlex.split(part))
    files = " ".join(f"-r {FILES_DIR}/{shlex.quote(name)}" for name in requirement_files)
    pinned = f"-c {FILES_DIR}/constraints.txt " if has_constraints else ""
    if files:
        one_by_one = "; ".join(
            f'step "{name}" {_pip(f"{opts} -r {FILES_DIR}/{shlex.quote(name)}")}'
            for name in requirement_files
        )
        fallback = f'step "declared requirements without the lock pins" {_pip(f"{opts} {files}")}'
        lines.append(
            f'step "declared requirements" {_pip(f"{opts} {pinned}{files}")} || '
            + (f"{fallback} || " if pinned else "")
            + f"{{ {one_by_one}; }}"
        )
    for command in commands:
        lines.append(f"step {shlex.quote('CI: ' + command)} sh -c {shlex.quote(command)}")
    if project_extras is not None:
        target = "." + (f"[{','.join(project_extras)}]" if project_extras else "")
        compat = "--config-settings editable_mode=compat"
        lines.append(
            f'step "the project itself" {_pip(f"{compat} -e {shlex.quote(target)}")} || '
            f'step "the project itself (plain editable)" {_pip("-e .")}'
        )
    if install_command:
        lines.append(
            f"step install_command sh -c {shlex.quote(install_command)} "
            f"|| exit {INSTALL_COMMAND_FAILED}"
        )
    shim = shlex.quote(_SHIM)
    lines += [
        "for name in pytest py.test; do",
        f"    [ -e {VENV}/bin/$name ] || {{ printf %s {shim} > {VENV}/bin/$name; "
        f"chmod 755 {VENV}/bin/$name; }}",
        "done",
        f"echo \"{FACT_MARK} python $({VENV}/bin/python -c 'import platform; "
        "print(platform.python_version())')\"",
        f"echo \"{FACT_MARK} pytest $({VENV}/bin/python -c 'import pytest, os; "
        "print(pytest.__version__, os.path.dirname(pytest.__file__))' 2>/dev/null)\"",
        "exit 0",
    ]
    return "\n".join(lines) + "\n"
