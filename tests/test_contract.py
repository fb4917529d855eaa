"""The data contract: its tables, levels, ids, vocabularies and the one name normaliser."""

from importlib import resources

import polars as pl
import pytest
import yaml
from pydantic import ValidationError

from analysis import contract
from analysis.contract import (
    CODES,
    GROUPS,
    HEADER_ALIASES,
    INDICATOR_GROUP,
    INDICATORS,
    LEVELS,
    PRESENTATION_GROUPS,
    TABLES,
    VALUE_WORDS,
    fold_expr,
    fold_text,
    header_lookup,
    level_name,
    level_of,
    level_words,
    normalise_name,
    province_key,
    required,
    schema,
)
from analysis.paths import DATA
from analysis.scoring.methodology import available_methodologies, load_methodology, methodology_dir

# --------------------------------------------------------------------------------------------
# tables


def test_every_table_of_the_contract_has_its_columns_in_order():
    assert list(schema("facts")) == ["period", "unit_code", "unit_name", "level", "parent_code", "indicator",
                                     "numerator", "denominator", "published_score", "as_of"]
    assert schema("facts")["numerator"] == pl.Float64 and schema("facts")["as_of"] == pl.Date
    assert schema("dossiers")["received_at"] == pl.Datetime("us")
    assert required("facts") == ("period", "unit_code", "unit_name", "level", "parent_code", "indicator",
                                 "numerator", "denominator")
    assert required("units") == ("unit_code", "unit_name", "level")
    assert set(TABLES) == {"units", "facts", "dossiers", "procedures", "petitions", "scorecard", "indicator_detail"}


def test_extension_columns_are_kept_apart_from_the_contracts_own():
    own = schema("dossiers", extensions=False)
    assert "supplement_pending" not in own and "supplement_pending" in schema("dossiers")
    assert list(own)[-1] == "rating"
    assert "time_limit_days" in schema("procedures") and "time_limit_days" not in schema("procedures", extensions=False)


def test_a_schema_is_new_each_time():
    mine = schema("units")
    mine["extra"] = pl.String
    assert "extra" not in schema("units")


def test_bundled_facts_read_in_the_contracts_schema(bundled_facts):
    assert bundled_facts.schema == pl.Schema(schema("facts"))


def test_the_scorecard_and_detail_the_engine_writes_have_the_contracts_columns(bundled_facts):
    from analysis.scoring.score import score

    result = score(bundled_facts, load_methodology())
    for table, frame in (("scorecard", result.scorecard), ("indicator_detail", result.detail)):
        for column, dtype in schema(table).items():
            assert frame.schema[column] == dtype, (table, column)


# --------------------------------------------------------------------------------------------
# levels


def test_levels_have_their_names_in_both_languages():
    assert LEVELS == ("national", "province", "department", "district", "commune")
    assert contract.LEVEL_ORDER["commune"] == 4
    assert level_name("commune") == "Cấp xã" and level_name("commune", "en") == "Communes"
    assert level_name("department") == "Sở, ban, ngành"
    assert level_words("commune") == "xã, phường" and level_words("department", "en") == "departments"
    assert level_name("elsewhere") == "elsewhere"


@pytest.mark.parametrize("text,level", [("Cấp xã", "commune"), ("XÃ, PHƯỜNG", "commune"), ("Sở, ban, ngành", "department"),
                                        ("tỉnh", "province"), ("huyện", "district"), ("national", "national"),
                                        ("đặc khu", "commune"), ("thôn", None), (None, None)])
def test_a_level_is_read_in_english_or_vietnamese(text, level):
    assert level_of(text) == level


# --------------------------------------------------------------------------------------------
# the index's ids agree with the methodology files


def _files():
    return {name: yaml.safe_load((methodology_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
            for name in available_methodologies()}


def test_the_portal_methodology_has_the_contracts_groups_and_indicators():
    data = _files()["portal-2025"]
    assert [g["code"] for g in data["groups"]] == list(GROUPS)
    for item in data["indicators"]:
        assert INDICATOR_GROUP[item["id"]] == item["group"], item["id"]
    added = [item for alt in data["alternatives"].values() for item in alt.get("add") or []]
    ids = [item["id"] for item in data["indicators"]] + [item["id"] for item in added]
    assert sorted(ids) == sorted(INDICATORS)


def test_every_methodology_names_only_the_contracts_ids():
    for name, data in _files().items():
        groups = {g["code"] for g in data.get("groups") or []}
        assert groups <= set(GROUPS) | set(PRESENTATION_GROUPS), name
        for item in data.get("indicators") or []:
            assert item["id"] in INDICATORS, (name, item["id"])
            if "group" in item:
                assert item["group"] in set(GROUPS) | set(PRESENTATION_GROUPS), (name, item["id"])
        for alt in (data.get("alternatives") or {}).values():
            assert set(alt.get("indicators") or {}) <= set(INDICATORS), name
        for method in [load_methodology(name)]:
            assert {i.id for i in method.indicators} <= set(INDICATORS)


def test_a_presentation_group_sums_the_portals_groups():
    method = load_methodology("five-group-2022")
    assert method.group("ONLINE_SERVICE").components == PRESENTATION_GROUPS["ONLINE_SERVICE"]


# --------------------------------------------------------------------------------------------
# vocabularies


@pytest.mark.parametrize("table", ["dossiers", "procedures", "petitions", "facts", "units"])
def test_no_header_means_two_columns_of_one_table(table):
    seen: dict[str, str] = {}
    for column, names in HEADER_ALIASES[table].items():
        for name in names:
            folded = fold_text(name)
            assert seen.setdefault(folded, column) == column, (table, name)


def test_header_lookup_reads_vietnamese_headers_with_or_without_marks():
    lookup = header_lookup("dossiers")
    assert lookup[fold_text("Mã hồ sơ")] == "dossier_id"
    assert lookup[fold_text("NGAY HEN TRA")] == "due_at"
    assert lookup[fold_text("Hạn xử lý")] == "due_at"
    assert lookup["dossier_id"] == "dossier_id"
    assert header_lookup("procedures")[fold_text("Thời hạn giải quyết")] == "time_limit_days"


def test_coded_words_are_folded_and_mean_a_code():
    assert VALUE_WORDS["status"]["da tra ket qua"] == "finished"
    assert VALUE_WORDS["status"]["finished"] == "finished"
    assert VALUE_WORDS["rating"]["chua danh gia"] is None
    for column, words in VALUE_WORDS.items():
        assert set(words.values()) - {None} <= set(CODES[column])  # type: ignore[index]
        assert all(fold_text(word) == word for word in words)


def test_a_vocabulary_word_for_no_code_is_refused():
    bad = yaml.safe_load((resources.files("analysis.contract") / "vocabulary.yaml").read_text(encoding="utf-8"))
    bad["values"]["channel"]["qua zalo"] = "chat"
    with pytest.raises(ValidationError, match="not codes of channel"):
        contract._Vocabulary.model_validate(bad)
    bad["values"]["channel"].pop("qua zalo")
    bad["values"]["channel"]["Trực tuyến"] = "online"
    with pytest.raises(ValidationError, match="not written folded"):
        contract._Vocabulary.model_validate(bad)


def test_a_table_file_with_an_unknown_type_or_key_is_refused():
    with pytest.raises(ValidationError):
        contract._Tables.model_validate({t: {"a": {"type": "Text"}} for t in TABLES})
    with pytest.raises(ValidationError):
        contract._Tables.model_validate({t: {"a": {"type": "String", "requird": True}} for t in TABLES})
    with pytest.raises(ValidationError, match="tables missing"):
        contract._Tables.model_validate({"facts": {"a": {"type": "String"}}})


def test_levels_out_of_order_are_refused():
    data = yaml.safe_load((resources.files("analysis.contract") / "levels.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ValidationError, match="in this order"):
        contract._Levels.model_validate(dict(reversed(list(data.items()))))


# --------------------------------------------------------------------------------------------
# the one name normaliser


@pytest.mark.parametrize("old,new", [("hòa", "hoà"), ("Khỏe", "khoẻ"), ("thủy", "thuỷ"), ("Thọ", "thọ"),
                                     ("Hòa Bình", "hoà bình"), ("hóa", "hoá"), ("lụy", "luỵ")])
def test_tone_marks_go_on_the_second_vowel_of_an_open_syllable(old, new):
    assert normalise_name(old) == new
    assert normalise_name(new) == new


@pytest.mark.parametrize("word", ["hoàn", "toán", "khuyến", "quý", "quả", "quẻ", "thuyền", "hoạch"])
def test_marks_of_other_syllables_stay_where_they_are(word):
    assert normalise_name(word) == word


def test_decomposed_text_and_prefixes_give_the_same_key():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "UBND  Xã Hòa Bình - Tỉnh Phú Thọ")
    assert normalise_name(decomposed) == normalise_name("Xã Hoà Bình") == "xã hoà bình"
    assert normalise_name("Ủy ban nhân dân phường Thủy Nguyên") == "phường thuỷ nguyên"
    assert province_key("UBND tỉnh Hòa Bình") == province_key("Tỉnh Hoà Bình") == "hoà bình"
    assert province_key("Thành phố Hà Nội") == "hà nội"


def test_both_tone_styles_of_the_bundled_commune_lists_meet():
    """The 2025 lists write some names in both styles; each pair gives one key, and no two names
    that differ in more than tone placement are merged."""
    words = pl.read_csv(DATA / "reference" / "crosswalk_ward_2025.csv", infer_schema=False)["new_ward_name"].unique()
    keys = {name: normalise_name(name) for name in words.to_list()}
    assert normalise_name("Xã Hòa An") == normalise_name("Xã Hoà An")
    folded = {}
    for name, key in keys.items():
        folded.setdefault(key, set()).add(fold_text(name))
    assert all(len(v) == 1 for v in folded.values())
    old_style = [n for n in keys if "òa" in n.lower() or "ỏa" in n.lower()]
    assert old_style and all("òa" not in keys[n] and "ỏa" not in keys[n] for n in old_style)


@pytest.mark.parametrize("text", [" Mã  Hồ sơ ", "SỐ HOÁ", "\ufeffĐồng bộ", "Số\u00a0hóa", "ĐÃ TRẢ KẾT QUẢ", "x", ""])
def test_the_folding_of_a_column_is_the_folding_of_a_cell(text):
    column = pl.DataFrame({"a": [text]}).select(fold_expr("a"))["a"][0]
    assert column == fold_text(text)


def test_folding_drops_case_marks_and_stroke():
    assert fold_text("Số hoá") == "so hoa" and fold_text("Đ") == "d"
    assert fold_text(None) == ""
