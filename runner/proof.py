"""Proof records of sandboxed runs, as JSON and as readable text, with secrets redacted."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path
from typing import Any

from runner.redact import redact
from runner.results import RunResult, Verification
from runner.snapshot import RepoSnapshot

PROOF_VERSION = 1


DOCKER_FLAGS = (
    "--rm -i --network none --read-only --cap-drop ALL --security-opt no-new-privileges "
    "--user 10001:10001 --tmpfs /workspace:exec,uid=10001,gid=10001 --tmpfs /tmp:exec,mode=1777"
)
APPLY = {
    "git-apply": "git apply --whitespace=nowarn",
    "git-apply-recount": "git apply --recount --whitespace=nowarn -C1",
    "patch-fuzz": "patch -p1 --fuzz=2 --batch --forward --no-backup-if-mismatch -r - -i",
}


def _environment() -> str:
    from runner.sandbox import SANDBOX_ENV

    return " ".join(f"-e {shlex.quote(f'{k}={v}')}" for k, v in SANDBOX_ENV.items())


def reproduce_command(
    run: RunResult, patch_file: str | None = None, tree_file: str | None = None
) -> str:
    """One shell line that repeats `run` under the same rules. With `tree_file` (the proof's
    tar of the repository) it needs nothing but that file, the patch file and the image;
    without it, it runs from the repository's folder."""
    if tree_file is not None:
        inside = "tar -xmf - -C /workspace && cd /workspace/repo"
        patch_mount = ""
        if patch_file is not None:
            apply = APPLY.get(run.patch_strategy or "git-apply", APPLY["git-apply"])
            patch_mount = f" -v {shlex.quote(str(Path(patch_file).resolve()))}:/truth.patch:ro"
            inside += f" && {apply} /truth.patch"
        inside += f" && {run.command}"
        source = shlex.quote(str(Path(tree_file).resolve()))
        return (
            f"docker run {DOCKER_FLAGS}{patch_mount} {_environment()} {run.image_id} "
            f"sh -c {shlex.quote(inside)} < {source}"
        )
    inside = "mkdir -p /workspace/repo /workspace/truth && cp -r /src/. /workspace/repo"
    inside += " && cd /workspace/repo"
    mounts = ['-v "$PWD":/src:ro']
    if patch_file is not None:
        mounts.append(f"-v {shlex.quote(str(Path(patch_file).resolve()))}:/truth.patch:ro")
        inside += " && git apply /truth.patch"
    inside += f" && {run.command}"
    flags = DOCKER_FLAGS.replace("--rm -i ", "--rm ")
    return f"docker run {flags} {' '.join(mounts)} {run.image_id} sh -c {shlex.quote(inside)}"


def _run_record(
    run: RunResult | None, patch_file: str | None, tree_file: str | None
) -> dict[str, Any] | None:
    if run is None:
        return None
    record = run.to_dict()
    record["stdout"] = redact(run.stdout)
    record["stderr"] = redact(run.stderr)
    record["reproduce"] = reproduce_command(run, patch_file, tree_file)
    return record


def proof_record(
    verification: Verification,
    patch_file: str | None = None,
    patch: str | None = None,
    tree_file: str | None = None,
) -> dict[str, Any]:
    """The JSON-ready proof of one verification (pure)."""
    baseline = _run_record(verification.baseline, None, tree_file)
    patched = _run_record(verification.patched, patch_file, tree_file)
    shown = patched or baseline
    return {
        "proof_version": PROOF_VERSION,
        "reproduce": shown["reproduce"] if shown else "",
        "tree": tree_file,
        "verdict": str(verification.verdict),
        "reason": verification.reason,
        "test_changes_allowed": verification.test_changes_allowed,
        "reruns": [
            {"end": r.end.value, "exit_code": r.exit_code, "failing": r.failing_tests()}
            for r in verification.reruns
        ],
        "fixed_tests": verification.fixed_tests,
        "regressions": verification.regressions,
        "patch": redact(patch) if patch is not None else None,
        "baseline": baseline,
        "patched": patched,
    }


def _run_text(title: str, run: dict[str, Any] | None) -> list[str]:
    if run is None:
        return [f"== {title}: not run", ""]
    lines = [
        f"== {title}: {run['end']} (exit code {run['exit_code']}) in {run['duration_ms']:.0f} ms",
        f"image:     {run['image_id']}",
        f"command:   {run['command']}",
        f"started:   {run['started_at']}",
        f"finished:  {run['finished_at']}",
    ]
    if run["reason"]:
        lines.append(f"reason:    {run['reason']}")
    if run["patch_applied"] is not None:
        lines.append(f"patch:     applied={run['patch_applied']} ({run['patch_strategy'] or '-'})")
    lines.append(f"reproduce: {run['reproduce']}")
    lines.append("tests:")
    for test_id, outcome in sorted(run["tests"].items()):
        message = f"  {outcome['message']}" if outcome["message"] else ""
        lines.append(f"  {outcome['status']:<8} {test_id}{message}")
    for stream in ("stdout", "stderr"):
        cut = " (truncated)" if run[f"{stream}_truncated"] else ""
        lines += [f"-- {stream}{cut}:", run[stream].rstrip(), ""]
    return lines


def proof_text(record: dict[str, Any]) -> str:
    """The proof as plain text for people (pure)."""
    lines = [f"Truth Engine proof — verdict: {record['verdict']}", record["reason"], ""]
    if record.get("test_changes_allowed"):
        lines.append("test changes: allowed by the person verifying (--allow-test-changes)")
    if record["fixed_tests"]:
        lines.append("fixed: " + ", ".join(record["fixed_tests"]))
    if record["regressions"]:
        lines.append("regressions: " + ", ".join(record["regressions"]))
    lines.append("")
    environment = record.get("environment") or {}
    if environment:
        lines.append("== environment")
        lines += [f"{key}: {value}" for key, value in environment.items() if key != "install"]
        lines += [f"install: {line}" for line in environment.get("install", [])]
        lines.append("")
    lines += _run_text("baseline (unpatched)", record["baseline"])
    lines += _run_text("patched", record["patched"])
    if record["patch"]:
        lines += ["== patch", record["patch"]]
    return "\n".join(lines) + "\n"


def write_proof(
    verification: Verification,
    out_dir: Path,
    name: str,
    patch: str | None = None,
    snapshot: RepoSnapshot | None = None,
    environment: dict[str, Any] | None = None,
) -> tuple[Path, Path]:
    """Write `<name>.json` and `<name>.txt` (and `<name>.patch` when given) into `out_dir`;
    with the `snapshot`, also `tree-<digest>.tar` (the repository, written once and shared by
    every proof of the same tree), so the reproduce commands need only these files."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "proof"
    out_dir.mkdir(parents=True, exist_ok=True)
    patch_file = None
    if patch is not None:
        patch_path = out_dir / f"{safe}.patch"
        patch_path.write_text(patch, encoding="utf-8")
        patch_file = str(patch_path)
    tree_file = None
    if snapshot is not None:
        tree_path = out_dir / f"tree-{snapshot.digest}.tar"
        if not tree_path.exists():
            partial = tree_path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(snapshot.archive_with({}))
            partial.replace(tree_path)  # atomic: parallel candidates may write it at once
        tree_file = str(tree_path)
    record = proof_record(verification, patch_file, patch, tree_file)
    if environment:  # the Python, test command and install steps the runs used
        record["environment"] = environment
    json_path, text_path = out_dir / f"{safe}.json", out_dir / f"{safe}.txt"
    json_path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    text_path.write_text(proof_text(record), encoding="utf-8")
    return json_path, text_path
