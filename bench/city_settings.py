"""Settings for the city benchmark's server only: the product's settings with ``city_urls`` as URLconf.

Used by ``bench/city.py`` (gunicorn runs with ``--pythonpath bench``); never by the product.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "city_urls"
