"""A small numbered module the prompt and model-output tests both read."""

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
