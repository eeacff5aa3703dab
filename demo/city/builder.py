"""The city generator: its parts put together, run in order."""

from demo.city.organisation import CityOrganisation
from demo.city.reception import CityReception
from demo.city.suggestions import CitySuggestions


class CityBuilder(CityOrganisation, CityReception, CitySuggestions):
    def build(self) -> dict[str, int]:
        self.organisation()
        self.deputies()
        self.units()
        self.accounts()
        self.reception()
        self.suggestions()
        return self.counts
