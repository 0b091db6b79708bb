"""Small sources several tests read: a numbered module for the prompt and model-output tests,
and a dynamic-programming function for the behaviour profiler's."""

MODULE = (
    "import math\n"  # 1
    "\n"  # 2
    "\n"  # 3
    "class Shape:\n"  # 4
    "    def area(self):\n"  # 5
    "        return math.pi * self.r ** 2\n"  # 6
    "\n"  # 7
    "    def perimeter(self):\n"  # 8
    "        return 2 * math.pi * self.r\n"  # 9
    "\n"  # 10
    "\n"  # 11
    "def helper(x):\n"  # 12
    "    return x + 1\n"  # 13
)
FILES = {"geo/shape.py": MODULE, "tests/test_shape.py": "def test_area():\n    assert 1\n"}

COMMON_LENGTH = """def common_length(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    return table[len(a)][len(b)]
"""
