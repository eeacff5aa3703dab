"""What every demo builder gets: a seeded random generator and a logger."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

SEED = "baisha-street-demo"


@dataclass
class DemoContext:
    """Passed to each builder's ``build``.

    ``rng`` is seeded with the builder's name, so a builder draws the same values on every run
    whatever the other builders do; generate data first, then look it up or create it.
    """

    builder: str
    log: Callable[[str], None] = print
    rng: random.Random = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(f"{SEED}:{self.builder}")
