"""Slum area page: cards equal the queries, drill-down province -> kabupaten/kota -> kelurahan, tables, languages."""
from __future__ import annotations

from kotaku_data import queries
from kotaku_data.filters import Filters
from kotaku_data.i18n import fmt_ha, fmt_int, t

PAGE = "pages/3_luas_kumuh.py"


def check_cards(app, at, db, f: Filters, lang: str) -> None:
    s = queries.slum_area.slum_area_summary(db, f, "nasional").iloc[0]
    assert app.metric(at, t("col.luas_awal_ha", lang)).value == fmt_ha(s["luas_awal_ha"], lang)
    assert app.metric(at, t("col.berkurang_total_ha", lang)).value == fmt_ha(s["berkurang_total_ha"], lang)
    remaining = t("slum.remaining_card", lang, year=str(f.end_year))
    assert app.metric(at, remaining).value == fmt_ha(s["luas_akhir_ha"], lang)
    assert app.metric(at, t("col.lokasi", lang)).value == fmt_int(s["lokasi"], lang)


def table_with(at, header: str):
    """The first rendered table that has this column header."""
    for d in at.dataframe:
        if header in d.value.columns:
            return d.value
    raise AssertionError(f"no table with column {header!r}")


def test_default_national(app, db):
    at = app.run(PAGE)
    app.assert_ok(at)
    assert at.title[0].value == t("page.slum_area", "id")
    check_cards(app, at, db, Filters(), "id")
    text = app.texts(at)
    assert t("badge.illustrative", "id") in text
    assert t("slum.pick_province", "id") in text  # nothing to drill into yet
    assert t("slum.q_trend", "id", place=t("slum.national", "id")) in text
    provinces = table_with(at, t("col.persen_berkurang", "id"))
    assert len(provinces) == 34
    # no kelurahan table before a kabupaten/kota is chosen
    assert all(t("col.nama_desa", "id") not in d.value.columns for d in at.dataframe)
    assert not at.warning


def test_province_shows_its_kabupaten_kota(app, db):
    at = app.run(PAGE, {"prov": "32"})
    app.assert_ok(at)
    f = Filters(prov="32")
    check_cards(app, at, db, f, "id")
    kabs = queries.slum_area.slum_area_summary(db, f, "kab")
    text = app.texts(at)
    assert t("slum.q_rank_kab", "id", place="Jawa Barat") in text
    tables = [d.value for d in at.dataframe if t("col.persen_berkurang", "id") in d.value.columns]
    assert [len(x) for x in tables] == [34, len(kabs)]
    assert list(tables[1][t("col.nama", "id")]) == list(kabs["nama"])
    assert list(tables[1][t("col.berkurang_total_ha", "id")]) == [fmt_ha(v, "id") for v in kabs["berkurang_total_ha"]]
    assert t("slum.back_national", "id") in text


def test_kabkota_shows_kelurahan_table(app, db):
    at = app.run(PAGE, {"prov": "32", "kab": "32.73"})
    app.assert_ok(at)
    f = Filters(prov="32", kab="32.73")
    check_cards(app, at, db, f, "id")
    kel = queries.slum_area.kelurahan_table(db, f)
    table = table_with(at, t("col.nama_desa", "id"))
    assert len(table) == len(kel) > 0
    assert list(table[t("col.kode_desa", "id")]) == list(kel["kode_desa"])
    assert list(table[t("col.luas_awal_ha", "id")]) == [fmt_ha(v, "id") for v in kel["luas_awal_ha"]]
    assert list(table[t("col.berkurang_total_ha", "id")]) == [fmt_ha(v, "id") for v in kel["berkurang_total_ha"]]
    assert set(table[t("col.tingkat_kumuh_akhir", "id")]) <= {t(f"tingkat.{c}", "id") for c in
                                                             ("berat", "sedang", "ringan", "tidak_kumuh")}
    text = app.texts(at)
    assert t("slum.q_kelurahan", "id", place="Kota Bandung") in text
    assert t("slum.q_trend", "id", place="Kota Bandung") in text
    # every table on the page can be downloaded (CSV and Excel)
    downloads = at.get("download_button")
    assert len(downloads) >= 2 * 3


def test_english_labels_and_numbers(app, db):
    at = app.run(PAGE, {"prov": "32", "kab": "32.73", "lang": "en"})
    app.assert_ok(at)
    check_cards(app, at, db, Filters(prov="32", kab="32.73"), "en")
    labels = [m.label for m in at.metric]
    assert "Reduced since 2015" in labels and "Berkurang sejak 2015" not in labels
    table = table_with(at, "Village (desa/kelurahan)")
    assert "Desa/kelurahan" not in table.columns
    assert set(table["Location type"]) <= {"Upgrading", "Prevention"}
    text = app.texts(at)
    assert "Which villages of Kota Bandung are still slums?" in text


def test_period_and_financier(app, db):
    at = app.run(PAGE, {"tahun": "2017-2019", "dana": "ibrd,aiib"})
    app.assert_ok(at)
    f = Filters(tahun=(2017, 2019), dana=("ibrd", "aiib"))
    check_cards(app, at, db, f, "id")
    assert t("slum.remaining_card", "id", year="2019") in [m.label for m in at.metric]


def test_selected_kelurahan_trend(app, db):
    kel = queries.slum_area.kelurahan_table(db, Filters(prov="32", kab="32.73"))
    code, name = kel["kode_desa"].iloc[0], kel["nama_desa"].iloc[0]
    at = app.run(PAGE, {"desa": code})
    app.assert_ok(at)
    assert t("slum.q_trend", "id", place=name) in app.texts(at)


def test_bad_parameters(app, db):
    at = app.run(PAGE, {"prov": "32", "kab": "33.74", "tingkat": "parah", "tahun": "abc"})
    app.assert_ok(at)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 3, warnings
    assert any("'kab'" in w for w in warnings)
    check_cards(app, at, db, Filters(prov="32"), "id")
