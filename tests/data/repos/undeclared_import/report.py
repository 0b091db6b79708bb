def human(n):
    return f"{n // 1024} KiB"
