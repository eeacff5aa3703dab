"""The one place tests build their data.

Each module creates one kind of record, through the product's services wherever a service
exists, and the shapes in ``streets`` compose them into the streets and worlds the tests
share (registered as fixtures in ``tests/conftest.py``):

- ``people``: accounts of every role (``user``, ``UserMaker`` behind ``make_user``) and API clients;
- ``organisation``: stations, communities, grid centres, grids, handling units, resident deputies;
- ``deputies``: deputies with their terms, deputy groups, grid assignments;
- ``suggestions``: a suggestion brought to a given state;
- ``livelihood``: livelihood cycles at each stage, ballots;
- ``reception``: reception days, rosters and visits with their opinions;
- ``files``: small uploads (PNG images);
- ``streets``: the shared shapes (the organisation street, the reception street, the suggestions
  world, the livelihood street).
"""
