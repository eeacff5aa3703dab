"""State changes of reception: rules and days, rosters, visits, opinions, the public channel, the privacy log.

One module per part; import from the module itself, e.g. ``from liaison.services.opinions import opinion_create``.
"""
