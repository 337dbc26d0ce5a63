"""Offline builders of the bundled files: the illustrative data set (generate.py), the reference data
(reference.py) and the province polygons (geo.py). The app reads what they wrote; it never imports them to run,
except `reference.read_reference` for the published CSV files."""
