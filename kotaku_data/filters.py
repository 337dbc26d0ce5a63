"""The filter state shared by every page, and its URL form (see README, "Shareable links")."""
from __future__ import annotations

from dataclasses import dataclass

from . import config


@dataclass(frozen=True)
class Filters:
    """What the user is looking at. Codes only (never labels), so a link is the same in both languages."""

    tahun: tuple[int, int] = (config.FIRST_YEAR, config.LAST_YEAR)
    prov: str | None = None  # "32"
    kab: str | None = None  # "32.73" (always inside prov)
    tipe: str | None = None  # "peningkatan" | "pencegahan"
    dana: tuple[str, ...] = ()  # financier codes; empty = all
    tingkat: tuple[str, ...] = ()  # baseline slum levels; empty = all

    @property
    def start_year(self) -> int:
        """The year whose end-of-year value is the starting point of the selected period."""
        return max(self.tahun[0] - 1, config.FIRST_YEAR)

    @property
    def end_year(self) -> int:
        return self.tahun[1]
