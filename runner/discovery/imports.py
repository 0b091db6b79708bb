"""Which distribution provides an imported module (`yaml` -> `pyyaml`), PEP 503 normalized."""

from __future__ import annotations

from runner.discovery.requirements import normalize_name

# fmt: off
# Import names whose distribution is called something else (dotted keys win over their prefix).
IMPORT_TO_DISTRIBUTION = {
    "yaml": "PyYAML", "sklearn": "scikit-learn", "skimage": "scikit-image", "PIL": "Pillow",
    "cv2": "opencv-python", "bs4": "beautifulsoup4", "dateutil": "python-dateutil",
    "jwt": "PyJWT", "attr": "attrs", "google.protobuf": "protobuf", "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex", "dotenv": "python-dotenv", "magic": "python-magic",
    "serial": "pyserial", "OpenSSL": "pyOpenSSL", "usb": "pyusb", "zmq": "pyzmq",
    "git": "GitPython", "github": "PyGithub", "docx": "python-docx", "pptx": "python-pptx",
    "jose": "python-jose", "multipart": "python-multipart", "slugify": "python-slugify",
    "telegram": "python-telegram-bot", "socketio": "python-socketio",
    "engineio": "python-engineio", "MySQLdb": "mysqlclient", "_pytest": "pytest",
    "pkg_resources": "setuptools", "markdown_it": "markdown-it-py", "mpl_toolkits": "matplotlib",
    "faiss": "faiss-cpu", "fitz": "PyMuPDF", "win32api": "pywin32", "win32com": "pywin32",
    "pythoncom": "pywin32", "gi": "PyGObject", "wx": "wxPython", "kafka": "kafka-python",
    "ldap": "python-ldap", "nacl": "PyNaCl", "Xlib": "python-xlib", "xdist": "pytest-xdist",
    "dns": "dnspython", "websocket": "websocket-client", "memcache": "python-memcached",
    "snappy": "python-snappy", "grpc": "grpcio", "Bio": "biopython", "OpenGL": "PyOpenGL",
    "googleapiclient": "google-api-python-client", "google.auth": "google-auth",
    "google.oauth2": "google-auth", "google.api_core": "google-api-core",
    "google.genai": "google-genai", "google.generativeai": "google-generativeai",
    "ruamel.yaml": "ruamel.yaml", "editor": "python-editor", "Levenshtein": "levenshtein",
    "lzo": "python-lzo", "pylab": "matplotlib", "sentencepiece": "sentencepiece",
}
# fmt: on

_DISTRIBUTION_AFFIXES = ("python-{}", "py{}", "{}-python", "{}-py", "py-{}")


def distribution_for_import(module: str) -> str:
    """The normalized distribution that provides a dotted module name (longest known prefix)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        known = IMPORT_TO_DISTRIBUTION.get(".".join(parts[:end]))
        if known:
            return normalize_name(known)
    if parts[0] == "google" and len(parts) > 2 and parts[1] == "cloud":
        return normalize_name(f"google-cloud-{parts[2]}")
    return normalize_name(parts[0])


def declared_match(name: str, declared: dict[str, str | None]) -> str:
    """The declared distribution an import most likely belongs to (`docx` -> `python-docx`)."""
    if name in declared:
        return name
    for affix in _DISTRIBUTION_AFFIXES:
        candidate = normalize_name(affix.format(name))
        if candidate in declared:
            return candidate
    return name
