"""Tests that the library detector finds third-party libraries from imports and dependency files."""

from pathlib import Path

import pytest

from bot.analysis import libraries
from bot.analysis.libraries import detect_libraries, distribution_for_import, imports_in_source
from runner.discovery.requirements import normalize_name, parse_requirement


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_flat_layout_keeps_third_party_and_drops_stdlib_and_own_code(tmp_path):
    repo = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core.py": "import os, json\nimport requests\nfrom app import helpers\n",
            "app/helpers.py": "from collections import OrderedDict\nimport numpy as np\n",
            "tests/test_core.py": "import pytest\nfrom app.core import thing\n",
            "tool.py": "import app\nimport tool\n",
        },
    )
    assert detect_libraries(repo) == {"numpy": None, "pytest": None, "requests": None}


def test_src_layout_package_is_the_repositorys_own(tmp_path):
    repo = write(
        tmp_path,
        {
            "src/mylib/__init__.py": "from mylib.parse import parse\n",
            "src/mylib/parse.py": "import attr\n",
            "tests/test_parse.py": "import mylib\nfrom mylib.parse import parse\n",
        },
    )
    assert detect_libraries(repo) == {"attrs": None}


def test_sibling_modules_of_scripts_and_nested_projects_are_not_libraries(tmp_path):
    repo = write(
        tmp_path,
        {
            "scripts/run.py": "import helpers\nimport click\n",
            "scripts/helpers.py": "",
            "examples/demo/pyproject.toml": "[project]\nname = 'demo'\n",
            "examples/demo/shapes/__init__.py": "",
            "examples/demo/tests/test_shapes.py": "from shapes import area\n",
        },
    )
    assert detect_libraries(repo) == {"click": None}


@pytest.mark.parametrize(
    ("module", "distribution"),
    [
        ("yaml", "pyyaml"),
        ("sklearn.linear_model", "scikit-learn"),
        ("PIL.Image", "pillow"),
        ("cv2", "opencv-python"),
        ("bs4", "beautifulsoup4"),
        ("dateutil.parser", "python-dateutil"),
        ("jwt", "pyjwt"),
        ("attr", "attrs"),
        ("google.protobuf.message", "protobuf"),
        ("google.cloud.storage", "google-cloud-storage"),
        ("Crypto.Cipher", "pycryptodome"),
        ("dotenv", "python-dotenv"),
        ("magic", "python-magic"),
        ("serial", "pyserial"),
        ("OpenSSL.crypto", "pyopenssl"),
        ("_pytest.fixtures", "pytest"),
        ("typing_extensions", "typing-extensions"),
        ("requests.adapters", "requests"),
    ],
)
def test_import_names_map_to_distribution_names(module, distribution):
    assert distribution_for_import(module) == distribution


def test_from_import_of_a_submodule_maps_like_a_dotted_import(tmp_path):
    repo = write(tmp_path, {"m.py": "from google import protobuf\nfrom PIL import Image\n"})
    assert detect_libraries(repo) == {"pillow": None, "protobuf": None}


def test_relative_imports_and_unparsable_files_are_ignored(tmp_path):
    repo = write(
        tmp_path,
        {
            "pkg/__init__.py": "from . import requests\nfrom .yaml import load\n",
            "pkg/broken.py": "import flask\ndef oops(:\n",
            "pkg/ok.py": "import toml\n",
        },
    )
    assert detect_libraries(repo) == {"toml": None}


def test_virtualenvs_build_output_and_vcs_dirs_are_skipped(tmp_path):
    repo = write(
        tmp_path,
        {
            "main.py": "import httpx\n",
            ".venv/lib/python3.11/site-packages/x.py": "import venvonly\n",
            "myenv/pyvenv.cfg": "home = /usr\n",
            "myenv/lib/y.py": "import customvenv\n",
            "node_modules/z.py": "import nodeonly\n",
            "build/lib/w.py": "import buildonly\n",
            ".git/hooks/h.py": "import gitonly\n",
            "pkg/__pycache__/c.py": "import cacheonly\n",
        },
    )
    assert detect_libraries(repo) == {"httpx": None}


def test_requirements_with_comments_markers_extras_options_and_includes(tmp_path):
    repo = write(
        tmp_path,
        {
            "requirements.txt": (
                "# pinned for production\n"
                "-r requirements/base.txt\n"
                "--index-url https://pypi.example/simple\n"
                "requests[socks]==2.31.0  # http client\n"
                "Django>=4.2,<5 ; python_version >= '3.10'\n"
                "numpy==1.26.4 --hash=sha256:abcdef\n"
                "-e git+https://github.com/org/tool.git#egg=org_tool\n"
                "-e .\n"
                "./vendor/local_pkg\n"
                "-c constraints.txt\n"
                "celery \\\n    >=5.3\n"
            ),
            "requirements/base.txt": "PyYAML==6.0.1\n-r ../requirements.txt\n",
            "requirements-dev.txt": "pytest>=8\n",
            "constraints.txt": "urllib3<2\n",
        },
    )
    assert detect_libraries(repo) == {
        "celery": ">=5.3",
        "django": "<5,>=4.2",
        "numpy": "==1.26.4",
        "org-tool": None,
        "pytest": ">=8",
        "pyyaml": "==6.0.1",
        "requests": "==2.31.0",
    }


def test_requirement_includes_never_leave_the_repository(tmp_path):
    outside = write(tmp_path / "outside", {"secret.txt": "leaked==1.0\n"})
    repo = write(tmp_path / "repo", {"requirements.txt": f"-r {outside / 'secret.txt'}\nrich\n"})
    assert detect_libraries(repo) == {"rich": None}


def test_pyproject_project_optional_groups_and_poetry(tmp_path):
    repo = write(
        tmp_path,
        {
            "pyproject.toml": """
[project]
name = "thing"
dependencies = ["httpx>=0.27", "pydantic"]
[project.optional-dependencies]
cli = ["click>=8.1"]
[dependency-groups]
dev = ["ruff>=0.6", {include-group = "other"}]
[tool.poetry.dependencies]
python = "^3.11"
Flask = "^3.0"
sqlalchemy = {version = ">=2.0", extras = ["asyncio"]}
mylib = {git = "https://github.com/org/mylib.git"}
anything = "*"
[tool.poetry.group.test.dependencies]
pytest-mock = "^3.12"
""",
        },
    )
    assert detect_libraries(repo) == {
        "anything": None,
        "click": ">=8.1",
        "flask": "^3.0",
        "httpx": ">=0.27",
        "mylib": None,
        "pydantic": None,
        "pytest-mock": "^3.12",
        "ruff": ">=0.6",
        "sqlalchemy": ">=2.0",
    }


def test_setup_cfg_install_requires_and_extras(tmp_path):
    repo = write(
        tmp_path,
        {
            "setup.cfg": (
                "[metadata]\nname = thing\n"
                "[options]\ninstall_requires =\n    six>=1.16\n    tomli; python_version<'3.11'\n"
                "[options.extras_require]\nyaml =\n    ruamel.yaml>=0.18\n"
            ),
        },
    )
    assert detect_libraries(repo) == {"ruamel-yaml": ">=0.18", "six": ">=1.16", "tomli": None}


def test_pipfile_packages(tmp_path):
    repo = write(
        tmp_path,
        {
            "Pipfile": (
                '[packages]\nrequests = "==2.31.0"\nflask = "*"\n'
                'django = {version = ">=4.2", extras = ["bcrypt"]}\n'
                '[dev-packages]\npytest = ">=8"\n'
            ),
        },
    )
    assert detect_libraries(repo) == {
        "django": ">=4.2",
        "flask": None,
        "pytest": ">=8",
        "requests": "==2.31.0",
    }


def test_imports_merge_with_declared_versions_under_one_name(tmp_path):
    repo = write(
        tmp_path,
        {
            "requirements.txt": "PyYAML==6.0.1\npython-docx>=1.1\nscikit_learn==1.4.0\n",
            "app.py": "import yaml\nimport docx\nfrom sklearn import svm\nimport pytest\n",
        },
    )
    assert detect_libraries(repo) == {
        "pytest": None,
        "python-docx": ">=1.1",
        "pyyaml": "==6.0.1",
        "scikit-learn": "==1.4.0",
    }


def test_broken_dependency_files_are_skipped(tmp_path):
    repo = write(
        tmp_path,
        {
            "pyproject.toml": "[project\ndependencies = [",
            "Pipfile": "not = [toml",
            "setup.cfg": "no section header\n",
            "requirements.txt": "this is not a requirement !!\nrich\n",
        },
    )
    assert detect_libraries(repo) == {"rich": None}


def test_work_is_bounded_by_the_file_budget(tmp_path, monkeypatch):
    files = {f"m{i:02}.py": f"import lib{i:02}\n" for i in range(10)}
    repo = write(tmp_path, files)
    monkeypatch.setattr(libraries, "MAX_FILES", 3)
    assert detect_libraries(repo) == {"lib00": None, "lib01": None, "lib02": None}


def test_work_is_bounded_by_the_byte_budget(tmp_path, monkeypatch):
    repo = write(tmp_path, {"a.py": "import small\n", "b.py": "import big\n" + "#" * 500})
    monkeypatch.setattr(libraries, "MAX_BYTES", 100)
    assert detect_libraries(repo) == {"small": None}


def test_pure_helpers():
    assert normalize_name("Foo_Bar.baz") == "foo-bar-baz"
    assert parse_requirement("Requests[socks] >= 2.0 ; os_name == 'nt'") == ("requests", ">=2.0")
    assert parse_requirement("not valid !!") is None
    assert imports_in_source("import a.b as c\nfrom d import e, f\nfrom . import g\n") == {
        "a.b",
        "d.e",
        "d.f",
    }
    assert imports_in_source("def broken(:") == set()
