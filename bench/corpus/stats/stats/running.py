"""Mean and variance of a stream of numbers, one value at a time (Welford)."""


class RunningStats:
    """Count, mean, variance, minimum and maximum of the values pushed so far."""

    def __init__(self):
        self.count = 0
        self.mean = 0.0
        self.squares = 0.0
        self.smallest = None
        self.largest = None

    def push(self, value):
        self.count += 1
        delta = value - self.mean
        self.mean += delta / self.count
        self.squares += delta * (value - self.mean)
        if self.smallest is None or value < self.smallest:
            self.smallest = value
        if self.largest is None or value > self.largest:
            self.largest = value

    def variance(self):
        """Sample variance; 0.0 with fewer than two values."""
        if self.count < 2:
            return 0.0
        return self.squares / (self.count - 1)

    def spread(self):
        """Largest minus smallest value."""
        if self.count == 0:
            return 0
        return self.largest - self.smallest
