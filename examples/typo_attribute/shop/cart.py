"""A shopping cart that totals its lines."""

from dataclasses import dataclass, field


@dataclass
class Line:
    name: str
    unit_price_cents: int
    quantity: int = 1


@dataclass
class Cart:
    items: list[Line] = field(default_factory=list)

    def add(self, name, unit_price_cents, quantity=1):
        self.items.append(Line(name, unit_price_cents, quantity))

    def total(self):
        """The sum of every line, in cents."""
        return sum(line.unit_price_cents * line.quantity for line in self.itmes)
