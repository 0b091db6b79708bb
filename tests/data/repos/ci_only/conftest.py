# Puts the repository root on sys.path for bare `pytest`.
