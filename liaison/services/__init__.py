"""State changes of the liaison app, one module per part of the domain.

``organisation``: stations (the 1+4+N tree), communities, grid centres, grids and
grid assignments. Import from the module itself, e.g.
``from liaison.services.organisation import station_create``.
"""
