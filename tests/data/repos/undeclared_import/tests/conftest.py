import psutil
import pytest


@pytest.fixture
def memory():
    return psutil.virtual_memory().total
