"""Overview page (app.py): headline cards equal the queries, statuses, rankings, published figures, languages."""
from __future__ import annotations

import pytest

from kotaku_data import charts, config, queries
from kotaku_data.filters import Filters
from kotaku_data.i18n import fmt_ha, fmt_int, fmt_pct, fmt_rp, t

CARD_KEYS = ("card.slum_area", "card.access", "card.pokja", "card.satisfaction", "card.absorption", "card.coverage")
STATUS_OF_CARD = {"card.slum_area": "slum_area", "card.access": "access", "card.pokja": "pokja",
                  "card.satisfaction": "satisfaction", "card.absorption": "absorption"}


def expected_cards(h: dict, lang: str) -> dict[str, str]:
    """The value each headline card must show, formatted independently of the page."""
    return {
        "card.slum_area": fmt_ha(h.berkurang_total_ha, lang),
        "card.access": fmt_pct(h.akses_akhir, lang),
        "card.pokja": fmt_pct(h.pokja_berfungsi, lang),
        "card.satisfaction": fmt_pct(h.puas, lang),
        "card.absorption": fmt_pct(h.persen_serapan, lang),
        "card.coverage": t("card.coverage_value", lang, n=fmt_int(h.n_desa, lang)),
    }


def check_headline(app, at, db, f: Filters, lang: str) -> dict:
    h = queries.headline.headline(db, f)
    for key, value in expected_cards(h, lang).items():
        assert app.metric(at, t(key, lang)).value == value, key
    # the slum-area card also says which share of the baseline that is
    delta = app.metric(at, t("card.slum_area", lang)).delta
    assert fmt_pct(h.persen_berkurang, lang) in delta and fmt_ha(h.luas_awal_ha, lang) in delta
    money = app.metric(at, t("card.absorption", lang)).delta
    assert fmt_rp(h.realisasi_rp, lang) in money and fmt_rp(h.alokasi_rp, lang) in money
    # one status (icon + word) per card with a target, in card order
    badges = [m.value for m in at.markdown if "-badge[:material/" in m.value and "status" not in m.value]
    words = {code: t(f"status.{code}", lang) for code in ("on_track", "at_risk", "off_track")}
    shown = [b for b in badges if any(w in b for w in words.values())]
    assert len(shown) == len(STATUS_OF_CARD)
    for badge, key in zip(shown, STATUS_OF_CARD.values(), strict=True):
        assert words[h.status[key]] in badge and ":material/" in badge
    return h


def test_default_indonesian(app, db):
    at = app.run()
    app.assert_ok(at)
    assert at.title[0].value == t("page.overview", "id")
    h = check_headline(app, at, db, Filters(), "id")
    assert h.luas_awal_ha == pytest.approx(config.TARGET_HA)
    text = app.texts(at)
    assert t("badge.illustrative", "id") in text
    assert t("overview.q_map", "id") in text and t("overview.q_rank_prov", "id") in text
    assert t("overview.projection_badge", "id") in text
    assert not at.warning


def test_top_and_bottom_five_provinces(app, db):
    at = app.run()
    app.assert_ok(at)
    summary = queries.slum_area.slum_area_summary(db, Filters(), "prov")
    top, bottom = charts.top_bottom(summary, "persen_berkurang", 5)
    tables = [d.value for d in at.dataframe]
    name_col = t("col.nama", "id")
    pct_col = t("col.persen_berkurang", "id")
    shown_top, shown_bottom = tables[0], tables[1]
    assert len(shown_top) == 5 and len(shown_bottom) == 5
    assert list(shown_top[name_col]) == list(top["nama"])
    assert list(shown_bottom[name_col]) == list(bottom["nama"])
    assert list(shown_top[pct_col]) == [fmt_pct(v, "id") for v in top["persen_berkurang"]]
    # the best province of all leads the top five, the worst leads the bottom five
    assert shown_top[name_col].iloc[0] == summary.loc[summary["persen_berkurang"].idxmax(), "nama"]
    assert shown_bottom[name_col].iloc[0] == summary.loc[summary["persen_berkurang"].idxmin(), "nama"]


def test_english(app, db):
    at = app.run(params={"lang": "en"})
    app.assert_ok(at)
    assert at.title[0].value == "Overview"
    check_headline(app, at, db, Filters(), "en")
    labels = [m.label for m in at.metric]
    assert "Slum area reduced" in labels and "Luas kumuh berkurang" not in labels
    text = app.texts(at)
    assert "Where is slum area shrinking fastest?" in text
    assert "Di mana luas kumuh berkurang paling cepat?" not in text
    assert "Illustrative data" in text
    # English number format: 1,234.5 ha
    assert app.metric(at, "Slum area reduced").value == fmt_ha(queries.headline.headline(db, Filters()).berkurang_total_ha, "en")
    assert "," in app.metric(at, "Slum area reduced").value


def test_province_filter(app, db):
    at = app.run(params={"prov": "32"})
    app.assert_ok(at)
    check_headline(app, at, db, Filters(prov="32"), "id")
    text = app.texts(at)
    assert "Jawa Barat" in text  # active filter chip
    # with a province chosen, leaders and laggards are its kabupaten/kota
    assert t("overview.q_rank_kab", "id") in text
    kabs = queries.slum_area.slum_area_summary(db, Filters(prov="32"), "kab")
    top, _ = charts.top_bottom(kabs, "persen_berkurang", 5)
    assert list(at.dataframe[0].value[t("col.nama", "id")]) == list(top["nama"])


def test_kabkota_filter(app, db):
    at = app.run(params={"prov": "32", "kab": "32.73"})
    app.assert_ok(at)
    check_headline(app, at, db, Filters(prov="32", kab="32.73"), "id")
    h = queries.headline.headline(db, Filters(prov="32", kab="32.73"))
    assert h.n_kab == 1


def test_years_and_financiers(app, db):
    params = {"tahun": "2017-2019", "dana": "ibrd,aiib", "lang": "en"}
    at = app.run(params=params)
    app.assert_ok(at)
    f = Filters(tahun=(2017, 2019), dana=("ibrd", "aiib"))
    h = check_headline(app, at, db, f, "en")
    assert h.tahun_akhir == 2019
    text = app.texts(at)
    assert "World Bank (IBRD)" in text and "AIIB" in text  # active filter chips, translated
    assert at.query_params["tahun"] in ("2017-2019", ["2017-2019"])  # the link keeps the period


def test_bad_parameters_give_notices_not_errors(app, db):
    at = app.run(params={"prov": "99", "tahun": "2030-2010", "dana": "ibrd,xyz", "foo": "1", "lang": "en"})
    app.assert_ok(at)
    warnings = [w.value for w in at.warning]
    assert len(warnings) >= 4, warnings
    assert any("'prov'" in w for w in warnings) and any("'foo'" in w for w in warnings)
    # the good parts of the link are kept: English, financier ibrd
    check_headline(app, at, db, Filters(dana=("ibrd",)), "en")


def test_published_figures_are_apart_and_cited(app, db):
    at = app.run()
    app.assert_ok(at)
    published = queries.published.published_highlights(db)
    cards = charts.published_cards(published, "id")
    assert len(cards) >= 4
    for c in cards:
        m = app.metric(at, c["label"])
        assert m.value == c["value"]
    assert app.metric(at, t("published.baseline_target", "id")).value == "38.431 ha"
    assert app.metric(at, t("published.reduced_2015_2019", "id")).value == "32.221 ha"
    # every published figure carries its own "published" badge and a link to its source
    badges = [m.value for m in at.markdown if t("published.label", "id") in m.value]
    assert len(badges) >= len(cards) + 1
    links = at.get("link_button")
    assert len(links) == len(cards)
    urls = {lb.proto.url for lb in links}
    assert "http://kotaku.pu.go.id/view/6991/faq-tentang-kotaku" in urls
    assert all(u.startswith("http") for u in urls)
