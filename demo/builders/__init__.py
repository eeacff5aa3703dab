"""Builders of the demo street, one module per part of the product.

Each module exposes ``build(ctx: DemoContext) -> None`` and must be idempotent:
running it again on the same database leaves the same rows (look rows up by
their natural key, e.g. ``get_or_create``). ``seed_demo`` runs the builders in
the order of its ``BUILDERS`` list, each with its own seeded random generator,
so adding a builder never changes the data of the others.
"""
