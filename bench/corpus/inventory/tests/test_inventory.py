import pytest
from inventory.stock import Inventory


def stocked():
    inventory = Inventory()
    inventory.add("bolt", 10, 2)
    inventory.add("nut", 3, 1)
    inventory.add("gear", 2, 15)
    return inventory


def test_add_accumulates_quantity():
    inventory = stocked()
    inventory.add("bolt", 5, 2)
    assert inventory.items["bolt"].quantity == 15
    assert inventory.items["gear"].price == 15


def test_total_value():
    assert stocked().total_value() == 10 * 2 + 3 * 1 + 2 * 15
    assert Inventory().total_value() == 0


def test_remove_and_sold_out():
    inventory = stocked()
    inventory.remove("bolt", 4)
    assert inventory.items["bolt"].quantity == 6
    inventory.remove("nut", 3)
    assert "nut" not in inventory.items


def test_cannot_remove_more_than_stock():
    inventory = stocked()
    with pytest.raises(ValueError, match="only 2 gear"):
        inventory.remove("gear", 3)
    assert inventory.items["gear"].quantity == 2


def test_low_stock():
    assert stocked().low_stock(4) == ["gear", "nut"]
    assert stocked().low_stock(3) == ["gear"]
