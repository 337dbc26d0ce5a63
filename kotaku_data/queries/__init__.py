"""The dashboard's questions, one module per subject. Every question is a function ``f(db, filters, ...)``
returning a tidy DataFrame or a dataclass; pages call them through ``Frame.q`` (cached), tests call them directly.

- slum_area:  slum area per year / per place / per kelurahan, zero-slum projection, against the target
- indicators: households served, Pokja PKP, satisfaction
- spending:   allocation, realisation, absorption, rupiah per hectare
- headline:   the overview's headline figures with their status
- profile:    one region against the national figures and a second region
- regions:    names, places, choices and search
- published:  the published (real, cited) national figures
- sql:        the small SQL toolkit they share (filter clauses, bound parameters, one-statement reads)

Period semantics: for a year range (y0, y1) the starting point is the end of year y0 (or the 2015 baseline for
"since 2015" figures), the end point is the end of y1; flows (spending) are summed over y0..y1. Location filters
(province, kabupaten/kota, location type, financier, baseline slum level) select desa/kelurahan; tables kept per
kabupaten/kota (Pokja PKP, satisfaction, spending) follow the province, kabupaten/kota and financier filters.
"""

from . import headline, indicators, profile, published, regions, slum_area, spending, sql

__all__ = ["headline", "indicators", "profile", "published", "regions", "slum_area", "spending", "sql"]


def questions() -> dict[str, object]:
    """Every question: "module.name" -> function, for each public function of the subject modules whose first
    parameter is the Database (what the benchmark times and the hostile-input test calls)."""
    import inspect

    out = {}
    for module in (headline, indicators, profile, published, regions, slum_area, spending):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            params = list(inspect.signature(fn).parameters)
            if not name.startswith("_") and fn.__module__ == module.__name__ and params[:1] == ["db"]:
                out[f"{module.__name__.rsplit('.', 1)[1]}.{name}"] = fn
    return out
