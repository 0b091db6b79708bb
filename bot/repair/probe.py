"""Inputs next to the tests' own: after the tests have run under the behaviour profiler, each
function the tests called directly is called again, in the same sandboxed process, on small
variations of the arguments the tests gave it (one element dropped, a neighbouring number, the
order reversed...), and what it returned or raised is recorded.

A candidate that makes such a call raise, or hang, where the code before the patch returned a
value has not fixed the bug: the tests pass on their few inputs while the code breaks on the
inputs right beside them (an index transposed for a square table, an exponent for a product).
And two verified fixes that return different values on such a call cannot both be right: the
tests do not decide between them. The variations keep the shape of what the tests pass (a
non-empty list stays non-empty, a sorted one sorted, a positive number positive, a pair a pair,
the rows of a table one length) so a fix is not blamed for input no caller would give it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.failures import Failure
from bot.repair.coverage import marked_json

MARKER = "@@truth-probe@@"
TIMEOUT = "!Timeout"
UNSETTLED = "*"
# A hang counts only where the code before the patch answered well inside the limit, so a slow
# but correct fix on a loaded machine is not taken for one that loops forever.
CALL_LIMIT_S = 2.0
QUICK_MS = 100
RAISED = re.compile(r"^\+.*\braise\s+([A-Za-z_][\w.]*)", re.MULTILINE)
NAME = re.compile(r"\b([A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning))\b")

# Pieces of the profiler script (Python 3.9+, no imports beyond the standard library): which
# values can be varied, their variations, and the calls. Literal values only, so the same
# variations are produced, and keyed alike, in the baseline's and each candidate's sandbox.
PROBE_SCRIPT = r"""
import ast, contextlib, copy, hashlib, io, random, signal, time
PROBE_FUNCTIONS, PROBE_CALLS, PROBE_PER_FUNCTION, PROBE_BUDGET = 12, 6, 60, 12.0
PROBE_LIMIT = CALL_LIMIT
PROBE_SIGN = PROBE_LINE_START
PLAIN = (int, float, str, bool, type(None), bytes)
class ProbeTimeout(BaseException):
    pass
def probe_literal(value, depth=0):
    kind = type(value)
    if kind in PLAIN:
        return True
    if depth < 4 and kind in (list, tuple) and len(value) <= 200:
        return all(probe_literal(v, depth + 1) for v in value)
    if depth < 4 and kind is dict and len(value) <= 100:
        return all(probe_literal(k, depth + 1) and probe_literal(v, depth + 1)
                   for k, v in value.items())
    return False
def same_sign(new, old):
    return (new > 0) == (old > 0) and (new < 0) == (old < 0)
def near(value, rng):
    kind = type(value)
    if kind is bool:
        return [not value]
    if kind is int:
        if value == 0:
            return [1, 2]
        return [n for n in (value + 1, value - 1, value + 2, value - 2) if same_sign(n, value)]
    if kind is float:
        if value == 0:
            return [0.5, 1.0]
        return [n for n in (value * 2, value / 2, value + 1.0, value - 1.0) if same_sign(n, value)]
    if kind is str:
        return ["".join(s) for s in near_sequence(list(value), rng, False)]
    if kind is list:
        return kept_in_order(value, near_sequence(value, rng, True))
    if kind is tuple:
        return near_kept(value, rng)
    if kind is dict:
        out, keys = [], list(value)
        for key in rng.sample(keys, min(len(keys), 3)):
            for other in near(value[key], rng)[:2]:
                changed = dict(value)
                changed[key] = other
                out.append(changed)
        if len(keys) >= 2:
            out.append({k: v for k, v in value.items() if k != keys[-1]})
        return out
    return []
def near_sequence(items, rng, elements):
    n, out = len(items), []
    if n >= 2:
        out += [items[1:], items[:-1], items[::-1], items[: n // 2] + items[n // 2 + 1 :]]
        swapped = list(items)
        swapped[0], swapped[1] = swapped[1], swapped[0]
        out.append(swapped)
        for _ in range(2):
            shuffled = list(items)
            rng.shuffle(shuffled)
            out.append(shuffled)
        try:
            out.append(sorted(items))
        except TypeError:
            pass
    if n >= 1:
        out += [items + items[-1:], items[:1] + items]
    if elements and n >= 1:
        for i in rng.sample(range(n), min(n, 3)):
            for other in near_kept(items[i], rng)[:2]:
                changed = list(items)
                changed[i] = other
                out.append(changed)
    return out
def in_order(items, strict):
    try:
        return all(a < b if strict else a <= b for a, b in zip(items, items[1:]))
    except TypeError:
        return False
def kept_in_order(items, out):
    # A list of three or more the tests pass sorted is taken as sorted by contract (a binary
    # search's input): its variations are sorted too, and keep distinct elements distinct.
    if len(items) < 3 or not in_order(items, False):
        return out
    strict, kept = in_order(items, True), []
    for variation in out:
        try:
            variation = sorted(variation)
        except TypeError:  # an element changed to another type
            continue
        if variation != items and variation not in kept and in_order(variation, strict):
            kept.append(variation)
    return kept
def near_kept(value, rng):
    # Inside a list, and for a tuple (a record: a pair, a row of a table), the length is part
    # of the shape: only the elements vary.
    kind = type(value)
    if kind not in (list, tuple):
        return near(value, rng)
    out = []
    for i in rng.sample(range(len(value)), min(len(value), 2)):
        for other in near_kept(value[i], rng)[:2]:
            changed = list(value)
            changed[i] = other
            out.append(kind(changed))
    return out
def probe_key(text):
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=6).hexdigest()
def variations(text, rng):
    args, kwargs = ast.literal_eval(text)
    out = [(args, kwargs)]
    slots = [("a", i) for i in range(len(args))] + [("k", k) for k in kwargs]
    def with_slot(base, slot, value):
        a, k = list(base[0]), dict(base[1])
        if slot[0] == "a":
            a[slot[1]] = value
        else:
            k[slot[1]] = value
        return (tuple(a), k)
    def slot_value(slot):
        return args[slot[1]] if slot[0] == "a" else kwargs[slot[1]]
    for slot in slots:
        for other in near(slot_value(slot), rng):
            out.append(with_slot((args, kwargs), slot, other))
    if len(slots) >= 2:
        for _ in range(6):
            first, second = rng.sample(slots, 2)
            call = (args, kwargs)
            for slot in (first, second):
                options = near(slot_value(slot), rng)
                if options:
                    call = with_slot(call, slot, rng.choice(options))
            out.append(call)
    return out
def probe_call(function, call):
    # Twice: an answer that changes from one call to the next (time, randomness, state kept
    # between calls) says nothing about a fix, and is marked "*".
    first, second = probe_once(function, call), probe_once(function, call)
    if first[:2] != second[:2]:
        return ["*", "", first[2], ""]
    return first
def probe_once(function, call):
    args, kwargs = copy.deepcopy(call)
    signal.setitimer(signal.ITIMER_REAL, PROBE_LIMIT)
    started = time.monotonic()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            value = function(*args, **kwargs)
        kind, text = type(value).__name__, digest(settled(value))
        shown = SHORT.repr(value)[:80]
    except ProbeTimeout:
        kind, text, shown = "!Timeout", "", ""
    except BaseException as exc:
        kind, text, shown = "!" + type(exc).__name__, "", ""
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return [kind, text, int((time.monotonic() - started) * 1000), shown]
def settled(value, depth=0):
    # A set's order follows the process's hash seed; sorted, it reads alike in every sandbox.
    kind = type(value)
    if depth > 3:
        return value
    if kind in (set, frozenset):
        return sorted((settled(v, depth + 1) for v in value), key=repr)
    if kind in (list, tuple):
        return kind(settled(v, depth + 1) for v in value)
    if kind is dict:
        return {k: settled(v, depth + 1) for k, v in value.items()}
    return value
def run_probe(entries):
    def on_alarm(signum, frame):
        raise ProbeTimeout()
    try:
        signal.signal(signal.SIGALRM, on_alarm)
    except (ValueError, OSError):
        return {}
    deadline, out = time.monotonic() + PROBE_BUDGET, {}
    for (rel, module, qualname), texts in list(entries.items())[:PROBE_FUNCTIONS]:
        function = sys.modules.get(module)
        for part in qualname.split("."):
            function = getattr(function, part, None)
        if not callable(function):
            continue
        results, seen, timeouts = {}, set(), 0
        for text in texts[:PROBE_CALLS]:
            rng = random.Random(probe_key(text))
            for call in variations(text, rng):
                shown = repr(call)
                if shown in seen or len(seen) >= PROBE_PER_FUNCTION:
                    continue
                seen.add(shown)
                if time.monotonic() > deadline or timeouts >= 2:
                    break
                outcome = probe_call(function, call)
                timeouts += outcome[0] == "!Timeout"
                results[probe_key(shown)] = outcome + [shown[:120]]
        out["%s:%s" % (rel, qualname)] = results
    return out
def probe_entry(entries, frame, rel, qualname):
    code, local = frame.f_code, frame.f_locals
    if "." in qualname or "<" in qualname or len(entries) > PROBE_FUNCTIONS * 2:
        return
    names, argc, kwc = code.co_varnames, code.co_argcount, code.co_kwonlyargcount
    try:
        args = [local[n] for n in names[:argc]]
        kwargs = {n: local[n] for n in names[argc : argc + kwc]}
        rest = argc + kwc
        if code.co_flags & 4:
            args += list(local[names[rest]])
            rest += 1
        if code.co_flags & 8:
            kwargs.update(local[names[rest]])
    except (KeyError, IndexError, TypeError):
        return
    call = (tuple(args), kwargs)
    if not probe_literal(call):
        return
    text = repr(call)
    texts = entries.setdefault((rel, frame.f_globals.get("__name__", ""), qualname), [])
    if len(text) <= 4000 and text not in texts and len(texts) < PROBE_CALLS:
        texts.append(text)
"""
PROBE_SCRIPT = PROBE_SCRIPT.replace("CALL_LIMIT", repr(CALL_LIMIT_S)).replace(
    "PROBE_LINE_START", repr(MARKER)
)


@dataclass(frozen=True)
class Outcome:
    kind: str  # type name of what it returned, "!ExcType", "!Timeout", or "*" (not the same twice)
    digest: str
    ms: int
    value: str  # what it returned, shown (clipped)
    call: str  # the arguments, shown

    @property
    def raised(self) -> bool:
        return self.kind.startswith("!")

    @property
    def settled(self) -> bool:
        return self.kind != UNSETTLED


Probe = dict[str, dict[str, Outcome]]  # "file:function" -> input key -> outcome


def parse_probe(stdout: str) -> Probe | None:
    """The probe's line from a run's stdout; None when it is missing or mangled."""
    data = marked_json(stdout, MARKER)
    try:
        return {
            str(function): {
                str(key): Outcome(str(v[0]), str(v[1]), int(v[2]), str(v[3]), str(v[4]))
                for key, v in results.items()
            }
            for function, results in data.items()
        }
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def expected_exceptions(diff: str, failures: list[Failure]) -> set[str]:
    """Exceptions a fix may rightly start raising: those its added lines raise, and those the
    failing tests name (a `pytest.raises(ValueError)` that the old code never satisfied)."""
    names = {name.rsplit(".", 1)[-1] for name in RAISED.findall(diff)}
    for failure in failures:
        names.update(match for text in failure.test_texts for match in NAME.findall(text))
    return names


def introduced_crash(baseline: Probe, candidate: Probe, expected: set[str]) -> str:
    """The first input next to the tests' on which the code returned a value before the patch
    and raises or hangs after it, described; "" when there is none."""
    for function in sorted(baseline):
        after = candidate.get(function, {})
        for key, before in baseline[function].items():
            now = after.get(key)
            if now is None or not before.settled or before.raised or not now.raised:
                continue
            if now.kind[1:] in expected or (now.kind == TIMEOUT and before.ms > QUICK_MS):
                continue
            file, name = function.rsplit(":", 1)
            what = "never returns" if now.kind == TIMEOUT else f"raises {now.kind[1:]}"
            return (
                f"`{name}` in {file} {what} on arguments {now.call} (a variation of the "
                f"tests' own inputs) where it returned a value ({before.kind}) before the "
                "patch; the tests pass, but the code breaks right beside them"
            )
    return ""


def disagreement(first: Probe, second: Probe) -> tuple[str, Outcome, Outcome] | None:
    """The first input beside the tests' on which two fixes both return a value, and not the
    same one: ("file:function", first's outcome, second's); None when they agree wherever both
    answered. Raising and hanging are left to `introduced_crash`: on an input no caller would
    give, two right fixes may well fail differently."""
    for function in sorted(first):
        other = second.get(function, {})
        for key, mine in first[function].items():
            theirs = other.get(key)
            if theirs is None or not (mine.settled and theirs.settled):
                continue
            if mine.raised or theirs.raised:
                continue
            if (mine.kind, mine.digest) != (theirs.kind, theirs.digest):
                return function, mine, theirs
    return None
