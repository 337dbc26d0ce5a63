"""Data & Methods page: data dictionary, published sources with links, status rule, manifest, About KOTAKU."""
from __future__ import annotations

import json

from kotaku_data import config, queries, targets
from kotaku_data.build.reference import PUBLISHED_FILES
from kotaku_data.data import schema
from kotaku_data.i18n import fmt_int, t

PAGE = "pages/5_data_metode.py"


def tables(at) -> list:
    return [d.value for d in at.dataframe]


def test_default_indonesian(app, db):
    at = app.run(PAGE)
    app.assert_ok(at)
    assert at.title[0].value == t("page.methods", "id")
    text = app.texts(at)
    # About KOTAKU: goal, seven principles, five components, two kinds of location, source
    assert "38.431 ha" in text
    assert "Pemerintah daerah sebagai nakhoda" in text
    for i in range(1, 8):
        assert t(f"methods.principle.{i}", "id") in text
    for c in config.COMPONENTS:
        assert t(f"component.{c}", "id") in text
    assert t("tipe.peningkatan", "id") in text and t("tipe.pencegahan", "id") in text
    assert any(lb.proto.url == "http://kotaku.pu.go.id/view/6991/faq-tentang-kotaku" for lb in at.get("link_button"))
    # the status rule with its thresholds, and the working targets said to be working targets
    assert "95%" in text and "80%" in text
    assert t("methods.status.working_targets", "id", target="38.431 ha") in text
    assert not at.warning


def test_data_dictionary_matches_schema(app):
    at = app.run(PAGE)
    dd = schema.data_dictionary()
    shown = next(x for x in tables(at) if t("methods.dd.column", "id") in x.columns
                 and t("methods.dd.description", "id") in x.columns)
    assert len(shown) == len(dd)
    assert list(shown[t("methods.dd.label", "id")]) == list(dd["label_id"])
    assert list(shown[t("methods.dd.column", "id")]) == list(dd["column"])


def test_targets_table(app):
    at = app.run(PAGE)
    target = next(x for x in tables(at) if t("methods.target.kind", "id") in x.columns)
    assert len(target) == len(targets.TARGETS)
    kinds = list(target[t("methods.target.kind", "id")])
    assert kinds.count(t("methods.target.published", "id")) == 1  # only the slum-area target is published


def test_published_sources_with_links(app, db):
    at = app.run(PAGE)
    source_col = t("published.source", "id")
    shown = [x for x in tables(at) if source_col in x.columns]
    assert len(shown) == len(PUBLISHED_FILES)
    for file, table in zip(PUBLISHED_FILES, shown, strict=True):
        expected = queries.published.published_table(db, file.removesuffix(".csv"))
        assert len(table) == len(expected), file
        assert list(table[source_col]) == list(expected["source_url"])
    expander_labels = [e.label for e in at.expander]
    national = queries.published.published_table(db, "kotaku_national_slum_reduction")
    assert any(f"· {fmt_int(len(national), 'id')} baris" in lbl for lbl in expander_labels)


def test_manifest_version_and_attribution(app):
    at = app.run(PAGE)
    manifest = json.loads((config.data_dir() / "manifest.json").read_text())
    files = next(x for x in tables(at) if "SHA-256" in x.columns)
    assert len(files) == len(manifest["files"])
    assert list(files[t("methods.rows", "id")]) == [fmt_int(manifest["files"][n]["rows"], "id")
                                                   for n in sorted(manifest["files"])]
    text = app.texts(at)
    assert "28 November 2026" in text or manifest["generated_at"][:4] in text
    assert "OpenStreetMap" in text and "echarts-countries-pypkg" in text


def test_english(app):
    at = app.run(PAGE, {"lang": "en"})
    app.assert_ok(at)
    text = app.texts(at)
    assert "Seven principles" in text and "Tujuh prinsip" not in text
    assert "Local government as the skipper" in text
    dd = schema.data_dictionary()
    shown = next(x for x in tables(at) if "Column" in x.columns and "Description" in x.columns)
    assert list(shown["Label"]) == list(dd["label_en"])
    assert "Kolom" not in shown.columns
    assert [tab.label for tab in at.tabs][:2] == ["About KOTAKU", "Indicators and status"]


def test_bad_parameters(app):
    at = app.run(PAGE, {"lang": "fr", "present": "yes"})
    app.assert_ok(at)
    assert len(at.warning) == 2
    assert at.title[0].value == t("page.methods", "id")  # unknown language falls back to Indonesian


def test_upload_checker_offers_templates_and_uploader(app):
    """The file check and the two templates are on the page, in the active language."""
    for lang in ("id", "en"):
        at = app.run(PAGE, {"lang": lang})
        app.assert_ok(at)
        assert t("methods.upload.title", lang) in [s.value for s in at.subheader]
        labels = [b.proto.label for b in at.get("download_button")]
        assert t("methods.upload.template", lang) in labels and t("methods.upload.example", lang) in labels
        assert any(u.proto.label == t("methods.upload.label", lang) for u in at.get("file_uploader"))
