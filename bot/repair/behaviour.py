"""What the code under test returns, call by call: a profile of the baseline and of each verified
candidate, taken in the sandbox, so the choice among verified fixes can prefer the one that keeps
behaviour on the inputs the passing tests exercise, and refuse one that only passes because a
test accepts `None` where the code returned a value (`None` for `False` is not a fix)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.analysis.failures import Failure
from bot.repair.coverage import TRACER_PRELUDE, marked_json, traced_command
from bot.repair.probe import PROBE_SCRIPT

MARKER = "@@truth-behaviour@@"
NONE_TYPE = "NoneType"
NONE_WORD = re.compile(r"\bNone\b")

# Runs pytest in-process and, for every call of a function defined in the repository's non-test
# code, records a digest of its arguments (at entry) and of what it returned (type name + digest
# of the repr, addresses stripped), per test. A call that raised is `!ExcType`. Generators,
# coroutines, lambdas and comprehensions are skipped: their "returns" are yields or internals.
# Bounded per test. After the tests, the functions they called directly are called on variations
# of the tests' arguments (bot/repair/probe.py). Then both results are printed, one line each,
# and the process ends at once (os._exit), so no atexit hook or thread of the code under test can
# print a line after them.
PROFILER = (
    TRACER_PRELUDE
    + PROBE_SCRIPT
    + r"""
import hashlib, re, reprlib
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
SKIP_FLAGS = 0x20 | 0x80 | 0x100 | 0x200
PER_TEST = 400
SHORT = reprlib.Repr()
SHORT.maxlevel, SHORT.maxlist, SHORT.maxtuple, SHORT.maxdict = 4, 40, 40, 40
SHORT.maxset, SHORT.maxstring, SHORT.maxother, SHORT.maxlong = 40, 200, 200, 200
def digest(value):
    try:
        text = SHORT.repr(value)
    except Exception as exc:
        text = "<repr failed: %s>" % type(exc).__name__
    text = ADDRESS.sub("", text)
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=6).hexdigest()
class Profile:
    def __init__(self):
        self.calls = None
        self.tests = {}
        self.foreign = set()
        self.raised = {}
        self.entries = {}
    def tracer(self, frame, event, arg):
        code = frame.f_code
        path = code.co_filename
        if path in self.foreign or self.calls is None:
            return None
        if not path.startswith(ROOT) or "-packages/" in path or is_test(path[len(ROOT):]):
            self.foreign.add(path)
            return None
        if code.co_flags & SKIP_FLAGS or code.co_name[:1] == "<":
            return None
        qualname = getattr(code, "co_qualname", code.co_name)
        caller = frame.f_back.f_code.co_filename if frame.f_back is not None else ""
        if caller.startswith(ROOT) and is_test(caller[len(ROOT):]):
            probe_entry(self.entries, frame, path[len(ROOT):], qualname)
        if len(self.calls) >= PER_TEST:
            return None
        flags = code.co_flags
        count = code.co_argcount + code.co_kwonlyargcount + bool(flags & 4) + bool(flags & 8)
        names = code.co_varnames[:count]
        local = frame.f_locals
        args = digest(tuple(local.get(n) for n in names))
        key = "%s:%s:%s" % (path[len(ROOT):], qualname, args)
        calls, raised = self.calls, self.raised
        frame.f_trace_lines = False
        def local_trace(frame, event, arg):
            if event == "exception":
                raised[id(frame)] = arg[0].__name__
            elif event == "return":
                exc = raised.pop(id(frame), None)
                if arg is None and exc is not None:
                    value = ["!" + exc, ""]
                else:
                    value = [type(arg).__name__, digest(arg)]
                seen = calls.get(key)
                calls[key] = value if seen is None or seen == value else ["*", ""]
            return local_trace
        return local_trace
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        self.calls, self.raised = {}, {}
        threading.settrace(self.tracer)
        sys.settrace(self.tracer)
        try:
            yield
        finally:
            sys.settrace(None)
            threading.settrace(None)
            self.tests[item.nodeid] = {"outcome": "passed", "calls": self.calls}
            self.calls = None
    def pytest_runtest_logreport(self, report):
        if report.failed and report.nodeid in self.tests:
            self.tests[report.nodeid]["outcome"] = "failed"
plugin = Profile()
code = pytest.main(sys.argv[1:], plugins=[plugin])
# The probe runs code under test, so before either line is printed; the profile line first,
# since the sandbox keeps the head of a long output and the profile matters more.
probed = run_probe(plugin.entries)
sys.stdout.write("\n" + MARKER + json.dumps(plugin.tests, separators=(",", ":")) + "\n")
sys.stdout.write("\n" + PROBE_SIGN + json.dumps(probed, separators=(",", ":")) + "\n")
sys.stdout.flush()
os._exit(int(code))
"""
)

Returned = tuple[str, str]  # (type name or "!ExcType" or "*" when calls disagreed, digest)


@dataclass(frozen=True)
class CallProfile:
    passed: bool
    calls: dict[str, Returned]  # "file:qualname:args digest" -> what it returned


Profile = dict[str, CallProfile]  # test id -> its calls


def profile_command(test_command: str) -> str | None:
    """The test command run under the profiler, or None when it is not a plain pytest call."""
    # No tracebacks: the profile line must stay inside the sandbox's output cap. One hash seed
    # in every sandbox, so a result built by walking a set reads alike before and after a patch.
    command = traced_command(PROFILER, MARKER, test_command, "--tb=no", "-q")
    return None if command is None else "PYTHONHASHSEED=0 " + command


def parse_profile(stdout: str) -> Profile | None:
    """The profiler's line from a run's stdout; None when it is missing or mangled."""
    data = marked_json(stdout, MARKER)
    try:
        return {
            str(test): CallProfile(
                passed=entry["outcome"] == "passed",
                calls={str(k): (str(v[0]), str(v[1])) for k, v in entry["calls"].items()},
            )
            for test, entry in data.items()
        }
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def behaviour_changes(baseline: Profile, candidate: Profile) -> int:
    """How many calls made by tests that passed before the patch now return something else
    (only calls both runs made, with one consistent answer each)."""
    changed = 0
    for test, before in baseline.items():
        after = candidate.get(test)
        if not before.passed or after is None:
            continue
        for key, returned in before.calls.items():
            now = after.calls.get(key)
            if now is None or "*" in (returned[0], now[0]):
                continue
            changed += now != returned
    return changed


def none_for_a_value(baseline: Profile, candidate: Profile) -> str:
    """The first call that returned a value before the patch and `None` after it, on the same
    arguments, described; "" when there is none. A test that passes because it accepts a falsy
    `None` where the code computed an answer has not seen a fix."""
    for test, before in baseline.items():
        after = candidate.get(test)
        if after is None:
            continue
        for key, (kind, _) in before.calls.items():
            now = after.calls.get(key)
            if now is None or now[0] != NONE_TYPE or kind in (NONE_TYPE, "*") or kind[:1] == "!":
                continue
            file, function = key.split(":")[:2]
            return (
                f"`{function}` in {file} returns None after the patch where it returned a "
                f"{kind} for the same arguments (in {test}); the tests accept None there, but "
                "returning nothing is not a fix"
            )
    return ""


def expects_none(failures: Iterable[Failure]) -> bool:
    """Whether a failing test compares with None (in its assertion or its message), so a fix
    may legitimately make the code return it."""
    return any(NONE_WORD.search(text) for failure in failures for text in failure.test_texts)
