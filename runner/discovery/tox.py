"""tox configuration (tox.ini, setup.cfg [tox:tox], pyproject legacy_tox_ini): the test env."""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field

from runner.discovery.requirements import logical_lines

_FACTOR = re.compile(r"^[\w,.!-]+:\s+")
_PY_ENV = re.compile(r"^py3\.?(\d+)$")


@dataclass
class ToxEnv:
    path: str
    deps: list[str] = field(default_factory=list)  # requirement lines, `-r` kept for resolving
    extras: list[str] = field(default_factory=list)
    installs_project: bool = True
    commands: list[str] = field(default_factory=list)
    envlist: list[str] = field(default_factory=list)
    setenv: dict[str, str] = field(default_factory=dict)  # literal values only

    def python_versions(self) -> list[str]:
        """Python versions the envlist names (`py39` -> `3.9`, `py3.13` -> `3.13`)."""
        found = []
        for env in self.envlist:
            for factor in env.split("-"):
                match = _PY_ENV.match(factor)
                if match:
                    found.append(f"3.{match.group(1)}")
        return sorted(set(found), key=lambda v: int(v.split(".")[1]))


def _expand_envlist(value: str) -> list[str]:
    """`py{39,311}-django` -> py39-django, py311-django (one brace group per name)."""
    names = []
    for item in re.split(r"[,\n](?![^{]*})", value):
        item = item.strip()
        match = re.search(r"\{([^}]*)\}", item)
        if match:
            names += [
                item.replace(match.group(0), part.strip()) for part in match.group(1).split(",")
            ]
        elif item:
            names.append(item)
    return names


def _substitute(line: str, sections: configparser.ConfigParser) -> str:
    def reference(match: re.Match[str]) -> str:
        section, _, key = match.group(1).partition("]")
        return sections.get(section, key, fallback="")

    line = re.sub(r"\{\[([^\]]+\][\w-]+)\}", reference, line)
    line = line.replace("{toxinidir}/", "").replace("{toxinidir}", ".")
    line = re.sub(r"\{posargs:([^}]*)\}", r"\1", line)
    for name in ("posargs", "tty:--color=yes:", "envsitepackagesdir"):
        line = line.replace("{" + name + "}", "")
    return re.sub(r"\{env(?:python|bindir)[^}]*\}/?", "", line).strip()


def read_tox(path: str, text: str, env: str | None = None) -> ToxEnv | None:
    """The named test environment (else the first py* env, else [testenv]) of a tox config."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    main = next((s for s in ("tox", "tox:tox") if parser.has_section(s)), None)
    if main is None and not parser.has_section("testenv"):
        return None
    found = ToxEnv(path)
    if main:
        found.envlist = _expand_envlist(parser.get(main, "envlist", fallback=""))
    section = f"testenv:{env}" if env and parser.has_section(f"testenv:{env}") else "testenv"

    def value(key: str) -> str:
        return parser.get(section, key, fallback="") or parser.get("testenv", key, fallback="")

    for line in logical_lines(_substitute(value("deps"), parser)):
        if _FACTOR.match(line):
            continue  # factor-conditional deps belong to one matrix cell, not to every run
        found.deps.append(line)
    found.extras = [e.strip() for e in re.split(r"[,\s]+", value("extras")) if e.strip()]
    found.installs_project = value("skip_install").strip().lower() != "true"
    for line in value("setenv").splitlines():
        name, equals, setting = line.partition("=")
        literal = equals and "{" not in setting and re.fullmatch(r"[A-Za-z_]\w*", name.strip())
        if literal:
            found.setenv[name.strip()] = setting.strip()
    for line in value("commands").splitlines():
        line = _substitute(line, parser).lstrip("- ").strip()
        if line and not _FACTOR.match(line):
            found.commands.append(line)
    return found
