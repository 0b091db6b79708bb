"""Typed pair helpers using the 3.12+ generic syntax and 3.13's warnings.deprecated."""

from warnings import deprecated

type Pair[T] = tuple[T, T]


def swap[T](pair: Pair[T]) -> Pair[T]:
    return (pair[0], pair[1])


@deprecated("use swap")
def flip[T](pair: Pair[T]) -> Pair[T]:
    return swap(pair)
