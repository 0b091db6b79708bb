"""The container's first process: prepares the tree as the test user, runs the tests as that
user, and reports what it saw, signed, on its own stdout. Stdlib only; Python 3.9 compatible.

Why this shape: the test process (uid TEST_UID) can reach everything in its own process, so
nothing it writes is trusted as is. The supervisor runs as another uid (SUPERVISOR_UID after
start-up), is not dumpable, keeps the run's secret only in memory (read from stdin, never in
argv or the environment), owns the evidence channel's read end and the container's stdout, and
signs its report with the secret. The test process's stdout and stderr are pipes into the
supervisor, so nothing the tests print can reach the host as a report.
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import hmac
import json
import os
import select
import signal
import subprocess
import sys
import time
from typing import Any

PR_SET_DUMPABLE = 4
PLUGIN_DIR = "/truth/plugin"
TAIL_BYTES = 64 * 1024
DRAIN_SECONDS = 0.5


def not_dumpable() -> None:
    """No core dumps, no ptrace and a root-owned /proc/<pid> for this process."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def become(uid: int) -> None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


class Capture:
    """At most `limit` bytes of a stream: its start and its last part (pytest's summary)."""

    def __init__(self, limit: int) -> None:
        self.tail_limit = min(TAIL_BYTES, limit // 4)
        self.limit = limit - self.tail_limit
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def write(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            del self.tail[: max(0, len(self.tail) - self.tail_limit)]

    def text(self) -> str:
        dropped = self.total - len(self.head) - len(self.tail)
        note = f"\n[… output truncated by Truth Engine: {dropped} more bytes not kept …]\n"
        note = note if dropped > 0 else ""
        body = bytes(self.head).decode("utf-8", "replace") + note
        return body + bytes(self.tail).decode("utf-8", "replace")

    @property
    def truncated(self) -> bool:
        return self.total > len(self.head) + len(self.tail)


def prepare(config: dict[str, Any], tree: bytes) -> dict[str, Any]:
    """Unpack, patch and restore the frozen files, all as the test user; returns the outcome."""
    uid = int(config["test_uid"])
    done = subprocess.run(
        ["sh", "-c", config["prepare"], "truth-prepare"],
        input=tree,
        capture_output=True,
        preexec_fn=lambda: become(uid),
        env=dict(config["env"]),
        cwd="/workspace",
        check=False,
    )
    status = (done.stdout.decode("ascii", "replace").strip().splitlines() or ["error -"])[-1]
    return {
        "code": done.returncode,
        "status": status,
        "log": done.stderr.decode("utf-8", "replace")[-20000:],
    }


def start_tests(config: dict[str, Any]) -> tuple[int, int, int, int]:
    """Fork the test process as the test user; returns (pid, stdout, stderr, evidence) fds."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    ev_r, ev_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the test process
        try:
            os.setsid()
            become(int(config["test_uid"]))
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in (null, out_r, out_w, err_r, err_w, ev_r):
                os.close(fd)
            os.set_inheritable(ev_w, True)
            env = dict(config["env"])
            env["TRUTH_EVIDENCE_FD"] = str(ev_w)
            env["PYTHONPATH"] = ":".join(p for p in (PLUGIN_DIR, env.get("PYTHONPATH")) if p)
            env["PYTEST_ADDOPTS"] = config["pytest_addopts"]
            os.chdir("/workspace/repo")
            os.execve("/bin/sh", ["sh", "-c", config["command"]], env)
        finally:
            os._exit(127)
    for fd in (out_w, err_w, ev_w):
        os.close(fd)
    return pid, out_r, err_r, ev_r


def supervise(config: dict[str, Any], started: float) -> dict[str, Any]:
    pid, out_r, err_r, ev_r = start_tests(config)
    # From here on nothing needs privileges: become a uid the test process cannot signal or
    # trace, and make sure /proc/<pid> of this process stays closed to it.
    become(int(config["supervisor_uid"]))
    not_dumpable()
    limit = int(config["output_bytes"])
    streams = {out_r: Capture(limit), err_r: Capture(limit)}
    evidence = bytearray()
    records: list[Any] = []
    running: dict[str, float] = {}
    deadline = started + float(config["deadline_seconds"])
    per_test = float(config["per_test_seconds"])
    end, status, hung = "exited", None, ""
    open_fds = [out_r, err_r, ev_r]
    exited_at: float | None = None
    while open_fds:
        now = time.monotonic()
        if status is None:
            waited, raw = os.waitpid(pid, os.WNOHANG)
            if waited:
                status, exited_at = raw, now
        if exited_at is not None and now - exited_at > DRAIN_SECONDS:
            break  # something the tests started still holds a pipe open
        overdue = [t for t, since in running.items() if now - since > per_test]
        if status is None and (now > deadline or overdue):
            end = "timeout"
            hung = overdue[0] if overdue else next(iter(running), "")
            _drain(open_fds, streams, time.monotonic() + DRAIN_SECONDS)
            break
        ready, _, _ = select.select(open_fds, [], [], 0.05)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
            elif fd == ev_r:
                evidence += chunk
                *lines, rest = bytes(evidence).split(b"\n")
                evidence = bytearray(rest)
                for line in lines:
                    record = _record(line)
                    records.append(record)
                    _track(record, running, time.monotonic())
            else:
                streams[fd].write(chunk)
    if status is None and end == "exited":
        _, status = os.waitpid(pid, 0)
    code = None
    if status is not None:
        code = os.waitstatus_to_exitcode(status)
    return {
        "end": end,
        "exit_code": code,
        "hung_test": hung,
        "records": records,
        "stdout": streams[out_r].text(),
        "stderr": streams[err_r].text(),
        "stdout_truncated": streams[out_r].truncated,
        "stderr_truncated": streams[err_r].truncated,
    }


def _drain(fds: list[int], streams: dict[int, Capture], until: float) -> None:
    """Keep what the stopped tests already wrote (a faulthandler stack dump, say)."""
    readable = [fd for fd in fds if fd in streams]
    while readable and time.monotonic() < until:
        ready, _, _ = select.select(readable, [], [], max(0.0, until - time.monotonic()))
        if not ready:
            return
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if chunk:
                streams[fd].write(chunk)
            else:
                readable.remove(fd)


def _record(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return {"t": "garbled", "raw": line[:200].decode("utf-8", "replace")}


def _track(record: Any, running: dict[str, float], now: float) -> None:
    if not isinstance(record, dict):
        return
    if record.get("t") == "start":
        running[str(record.get("id"))] = now
    elif record.get("t") == "report" and record.get("when") == "teardown":
        running.pop(str(record.get("id")), None)


def main() -> None:
    started = time.monotonic()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    stdin = sys.stdin.buffer
    mark = stdin.readline().strip()
    secret = bytes.fromhex(stdin.readline().strip().decode("ascii"))
    config = json.loads(stdin.readline())
    tree = stdin.read()
    not_dumpable()
    os.makedirs(PLUGIN_DIR, mode=0o755, exist_ok=True)
    plugin_path = os.path.join(PLUGIN_DIR, config["plugin_name"] + ".py")
    with open(plugin_path, "w", encoding="utf-8") as handle:
        handle.write(config["plugin_source"])
    os.chmod(plugin_path, 0o644)
    report: dict[str, Any] = {"prepare": prepare(config, tree)}
    report["prepare_ms"] = round((time.monotonic() - started) * 1000.0, 1)
    if report["prepare"]["status"].startswith(("applied", "none")):
        report.update(supervise(config, started))
    else:
        become(int(config["supervisor_uid"]))
    report["total_ms"] = round((time.monotonic() - started) * 1000.0, 1)
    body = json.dumps(report).encode("utf-8")
    signature = hmac.new(secret, body, hashlib.sha256).hexdigest()
    out = b"\n" + mark + b"\n" + base64.b64encode(body) + b"\n" + signature.encode() + b"\n"
    view = memoryview(out)
    while view:
        view = view[os.write(1, view) :]
    # The test process and anything it started die with this, the container's first process.
    os._exit(0)


if __name__ == "__main__":
    main()
