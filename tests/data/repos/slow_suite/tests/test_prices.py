import os
import time

import pytest

from prices import discount, with_tax

# Each case stands for a slow integration check; SLOW_TEST_SECONDS scales the whole suite (60 s).
DELAY = float(os.environ.get("SLOW_TEST_SECONDS", "2"))


@pytest.mark.parametrize("net", range(29))
def test_with_tax(net):
    time.sleep(DELAY)
    assert with_tax(net) == round(net * 1.2, 2)


def test_discount():
    assert discount(100, 15) == 85
