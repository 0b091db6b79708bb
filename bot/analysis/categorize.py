"""Rule-based failure categories, which pick repair templates and prompt strategies."""

from __future__ import annotations

import re
import sys

from bot.analysis.failures import Category, Failure

NETWORK_HINTS = re.compile(
    r"(Connection(?:Reset|Refused|Aborted)Error|connection (?:reset|refused|aborted)|"
    r"Temporary failure in name resolution|Name or service not known|getaddrinfo failed|"
    r"Max retries exceeded|RemoteDisconnected|ReadTimeout|ConnectTimeout|timed out|"
    r"SSLError|Network is unreachable|BrokenPipeError|503 Service Unavailable)",
    re.I,
)
DEPENDENCY_TYPES = {
    "DependencyInstallError",
    "PackageNotFoundError",
    "DistributionNotFound",
    "VersionConflict",
}
SYNTAX_TYPES = {"SyntaxError", "IndentationError", "TabError"}
NAME_TYPES = {"NameError", "UnboundLocalError", "AttributeError"}
INDEX_TYPES = {"IndexError", "KeyError", "StopIteration"}
TIMEOUT_TYPES = {"RecursionError", "TimeoutError", "Timeout", "Failed: Timeout"}
MISSING_MODULE = re.compile(r"No module named '(?P<module>[\w.]+)'")


def categorize(failure: Failure, local_packages: frozenset[str] = frozenset()) -> Category:
    """The first rule that matches; `local_packages` are top-level names that live in the repo."""
    exc = failure.exc_type.rsplit(".", 1)[-1]
    text = f"{failure.exc_type}: {failure.message}\n{failure.output}"
    if failure.exc_type in DEPENDENCY_TYPES:
        return Category.DEPENDENCY
    if exc in SYNTAX_TYPES:
        return Category.SYNTAX
    if exc in ("ModuleNotFoundError", "ImportError"):
        missing = MISSING_MODULE.search(failure.message)
        if missing:
            module = missing.group("module")
            top = module.split(".")[0]
            # a missing submodule means its package imported: the repository's own layout
            third_party = "." not in module and top not in sys.stdlib_module_names
            if third_party and top not in local_packages:
                return Category.DEPENDENCY
        return Category.IMPORT
    if NETWORK_HINTS.search(text) and exc not in NAME_TYPES | INDEX_TYPES:
        return Category.FLAKY
    if exc in NAME_TYPES:
        return Category.NAME_ATTRIBUTE
    if exc == "TypeError":
        return Category.TYPE
    if exc in INDEX_TYPES:
        return Category.INDEX_KEY
    if exc in TIMEOUT_TYPES or ("Timeout" in failure.message and exc == "Failed"):
        return Category.TIMEOUT_RECURSION
    if exc in ("AssertionError", "ValueError", "ZeroDivisionError", "Failed"):
        return Category.ASSERTION
    return Category.UNKNOWN
