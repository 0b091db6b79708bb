"""Items in stock with quantities and unit prices."""


class Item:
    """A product line: name, quantity on hand and unit price."""

    def __init__(self, name, quantity, price):
        self.name = name
        self.quantity = quantity
        self.price = price

    def value(self):
        return self.quantity * self.price


class Inventory:
    """Products by name; removing more than is in stock is an error."""

    def __init__(self):
        self.items = {}

    def add(self, name, quantity, price):
        if name in self.items:
            self.items[name].quantity += quantity
        else:
            self.items[name] = Item(name, quantity, price)

    def remove(self, name, quantity):
        item = self.items[name]
        if quantity > item.quantity:
            raise ValueError(f"only {item.quantity} {name} in stock")
        item.quantity -= quantity
        if item.quantity == 0:
            del self.items[name]

    def total_value(self):
        return sum(item.value() for item in self.items.values())

    def low_stock(self, threshold):
        """Names with fewer than threshold units, sorted."""
        return sorted(item.name for item in self.items.values() if item.quantity < threshold)
