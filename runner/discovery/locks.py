"""Lock files (uv.lock, poetry.lock, Pipfile.lock) as pins: `name==version` constraints."""

from __future__ import annotations

import json
import tomllib

LOCK_FILES = ("uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock")


def lock_pins(name: str, text: str) -> list[str]:
    """Pinned versions a lock file records; the project's own entry is left out."""
    if name == "Pipfile.lock":
        try:
            data = json.loads(text)
        except ValueError:
            return []
        pins = []
        for section in ("default", "develop"):
            for package, info in (data.get(section) or {}).items():
                version = info.get("version") if isinstance(info, dict) else None
                if isinstance(version, str) and version.startswith("=="):
                    pins.append(f"{package}{version}")
        return sorted(set(pins))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    pins = []
    for package in data.get("package", []):
        source = package.get("source", {})
        if isinstance(source, dict) and ({"editable", "virtual", "directory"} & set(source)):
            continue
        if isinstance(source, dict) and source.get("type") in ("directory", "file", "git"):
            continue
        if package.get("name") and package.get("version"):
            pins.append(f"{package['name']}=={package['version']}")
    return sorted(set(pins))
