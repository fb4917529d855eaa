"""Vietnamese number, date and name formatting (analysis.report.formatting)."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from analysis.report import formatting as fmt
from analysis.report.formatting import (
    D3_FORMAT_LOCALE,
    D3_TIME_FORMAT_LOCALE,
    LABELS,
    date_vi,
    embed_options,
    format_table,
    integer,
    month_name,
    month_year,
    number,
    percent,
    score_of,
    short_unit_name,
    short_unit_names,
    signed,
)

# --- numbers: the figures of the Bắc Kạn report (seeds/000), written by hand --------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (77.59, 2, "77,59"),
        (12135, 0, "12.135"),
        (2421, 0, "2.421"),
        (184513, 0, "184.513"),
        (1234567.891, 2, "1.234.567,89"),
        (98.02, 2, "98,02"),
        (0, 2, "0,00"),
        (0.0, 0, "0"),
        (999.995, 2, "1.000,00"),
        (-0.4, 2, "\u22120,40"),
        (-12135.5, 1, "\u221212.135,5"),
    ],
)
def test_number_vietnamese(value: float, decimals: int, expected: str) -> None:
    assert number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(77.59, 2, "77.59"), (12135, 0, "12,135"), (1234567.891, 2, "1,234,567.89"), (-0.4, 2, "\u22120.40")],
)
def test_number_english(value: float, decimals: int, expected: str) -> None:
    assert number(value, decimals, "en") == expected


def test_rounding_is_half_up_on_the_written_decimal() -> None:
    # Python's format() gives 2.67 (the float is 2.67499…) and 0.12 (ties to even);
    # the portal rounds half up on the decimal as written.
    assert f"{2.675:.2f}" == "2.67" and f"{0.125:.2f}" == "0.12"
    assert number(2.675) == "2,68"
    assert number(0.125) == "0,13"
    assert number(1.005) == "1,01"
    assert number(1.955) == "1,96"
    assert number(2.5, 0) == "3"
    assert number(-1.955) == "\u22121,96"     # half away from zero
    assert number(1.954999) == "1,95"


def test_missing_values_print_as_a_dash() -> None:
    assert number(None) == "-"
    assert number(float("nan")) == "-"
    assert integer(None) == "-"
    assert percent(None) == "-"
    assert signed(None) == "-"
    assert date_vi(None) == "-"


def test_negative_zero_has_no_sign() -> None:
    assert number(-0.001) == "0,00"
    assert number(-0.0) == "0,00"


def test_trim_drops_trailing_zeros_only() -> None:
    assert number(10.5, trim=True) == "10,5"
    assert number(8.0, trim=True) == "8"
    assert number(12135.0, trim=True) == "12.135"
    assert number(10.05, trim=True) == "10,05"


def test_integer_rounds_and_groups() -> None:
    assert integer(12135) == "12.135"
    assert integer(12134.5) == "12.135"
    assert integer(7) == "7"
    assert integer(1_000_000, "en") == "1,000,000"


def test_percent_takes_a_fraction() -> None:
    assert percent(0.9802) == "98,02 %"          # "891/18, 98,02 %" in the Bắc Kạn report
    assert percent(1) == "100,00 %"
    assert percent(1, 0) == "100 %"
    assert percent(0.25, 0, "en") == "25%"
    assert percent(0.5, trim=True) == "50 %"
    assert percent(0) == "0,00 %"


def test_score_of_reads_like_the_reports() -> None:
    assert score_of(10.5, 18) == "10,5/18"
    assert score_of(19.5, 20) == "19,5/20"
    assert score_of(8, 12) == "8/12"
    assert score_of(77.59, 100) == "77,59/100"
    assert score_of(7.96, 18, "en") == "7.96/18"
    assert score_of(None, 18) == "-/18"


def test_signed_changes() -> None:
    assert signed(1.25) == "+1,25"
    assert signed(-0.4) == "\u22120,40"
    assert signed(0) == "0,00"
    assert signed(0.004) == "0,00"
    assert signed(25.594) == "+25,59"
    assert signed(3, 0, "en") == "+3"


def test_numbers_reject_text() -> None:
    with pytest.raises(ValueError):
        number("abc")


# --- dates and months ------------------------------------------------------------------------


def test_dates() -> None:
    assert date_vi(date(2026, 10, 5)) == "05/10/2026"
    assert date_vi(datetime(2026, 10, 5, 14, 30)) == "05/10/2026"
    assert date_vi("2026-10-05") == "05/10/2026"
    assert date_vi("5/10/2026") == "05/10/2026"
    assert date_vi("2026-10-05", "en") == "2026-10-05"
    with pytest.raises(ValueError):
        date_vi("next tuesday")


def test_months() -> None:
    assert month_name(8) == "tháng 8"
    assert month_name(12, "en") == "December"
    assert month_year(9, 2024) == "tháng 9/2024"
    assert month_year(8, 2026, "en") == "August 2026"
    with pytest.raises(ValueError):
        month_name(13)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        number(1, language="fr")


# --- d3 locales and embed options --------------------------------------------------------------


def test_d3_format_locale_is_vietnamese() -> None:
    assert D3_FORMAT_LOCALE["decimal"] == ","
    assert D3_FORMAT_LOCALE["thousands"] == "."
    assert D3_FORMAT_LOCALE["grouping"] == [3]
    assert D3_FORMAT_LOCALE["currency"] == ["", " ₫"]


def test_d3_time_locale_is_complete() -> None:
    locale = D3_TIME_FORMAT_LOCALE
    for key in ("dateTime", "date", "time", "periods", "days", "shortDays", "months", "shortMonths"):
        assert key in locale
    assert len(locale["days"]) == len(locale["shortDays"]) == 7
    assert len(locale["months"]) == len(locale["shortMonths"]) == 12
    assert locale["days"][0] == "Chủ nhật"      # d3 weeks start on Sunday
    assert locale["months"][7] == "Tháng 8"
    assert locale["date"] == "%d/%m/%Y"


def test_locales_render_through_vega() -> None:
    """The locale dicts are accepted by the renderer and give 12.135,50 and 10/2026."""
    import vl_convert as vlc

    spec = {
        "data": {"values": [{"a": 12135.5, "d": "2026-10-05"}]},
        "mark": "text",
        "encoding": {"text": {"field": "a", "type": "quantitative", "format": ",.2f"}},
    }
    svg = vlc.vegalite_to_svg(spec, format_locale=D3_FORMAT_LOCALE, time_format_locale=D3_TIME_FORMAT_LOCALE)
    assert "12.135,50" in svg
    spec["encoding"]["text"] = {"field": "d", "type": "temporal", "timeUnit": "yearmonthdate", "format": "%B %Y"}
    svg = vlc.vegalite_to_svg(spec, format_locale=D3_FORMAT_LOCALE, time_format_locale=D3_TIME_FORMAT_LOCALE)
    assert "Tháng 10 2026" in svg


def test_embed_options() -> None:
    vi = embed_options()
    assert vi["renderer"] == "svg"
    assert vi["formatLocale"]["decimal"] == ","
    assert vi["timeFormatLocale"]["months"][0] == "Tháng 1"
    assert vi["actions"] == {"export": True, "source": False, "compiled": False, "editor": False}
    en = embed_options("en")
    assert en["formatLocale"]["decimal"] == "."
    assert en["timeFormatLocale"]["months"][0] == "January"


# --- words -------------------------------------------------------------------------------------


def test_labels_exist_in_both_languages() -> None:
    assert set(LABELS["vi"]) == set(LABELS["en"])
    assert all(text.strip() for lang in LABELS.values() for text in lang.values())
    assert LABELS["vi"]["class"] == "Xếp loại"


def test_group_and_class_names_come_from_the_methodology() -> None:
    from analysis.scoring.methodology import load_methodology

    m = load_methodology("portal-2025")
    assert fmt.group_name(m, "CKMB") == "Công khai, minh bạch"
    assert fmt.group_name(m, "CKMB", "en") == "Transparency"
    assert fmt.class_name(m, "excellent", "en") == "Excellent"
    assert fmt.class_name(m, "fair") == "Khá" and fmt.class_name(m, None) is None
    assert fmt.class_names(m, "en") == ["Excellent", "Good", "Fair", "Average", "Weak"]
    with pytest.raises(ValueError, match="'Khá' is not a class code of portal-2025"):
        fmt.class_name(m, "Khá")  # a printed label is read into its code, never shown as it is
    codes = pl.DataFrame({"class": ["good", None], "none": [None, None]})
    assert codes.select(fmt.class_column(m, "en"))["class"].to_list() == ["Good", None]
    assert codes.select(fmt.class_column(m, "vi", "none"))["none"].to_list() == [None, None]
    assert fmt.indicator_name(m, "NOT_AN_INDICATOR") == "NOT_AN_INDICATOR"
    assert fmt.level_name("commune") == "Cấp xã"


# --- unit names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Sở Y tế - Tỉnh Phú Thọ", "Sở Y tế"),
        ("Sở Văn hóa, Thể thao và Du lịch - Tỉnh Phú Thọ", "Sở Văn hóa, Thể thao và Du lịch"),
        ("UBND xã Yên Phú", "Xã Yên Phú"),
        ("UBND phường Vĩnh Phúc", "Phường Vĩnh Phúc"),
        ("UBND tỉnh Phú Thọ", "Tỉnh Phú Thọ"),
        ("Văn phòng UBND Tỉnh - Tỉnh Phú Thọ", "Văn phòng UBND tỉnh"),
        ("Sở Nông Nghiệp và Môi Trường - Tỉnh Phú Thọ", "Sở Nông nghiệp và Môi trường"),
        ("Sở Xây dựng - Thành phố Hải Phòng", "Sở Xây dựng"),
        ("Ban Quản lý các khu công nghiệp", "Ban Quản lý các khu công nghiệp"),
    ],
)
def test_short_unit_name(name: str, short: str) -> None:
    assert short_unit_name(name) == short


def test_short_unit_names_stay_unique() -> None:
    names = ["Sở Y tế - Tỉnh Phú Thọ", "Sở Y tế - Tỉnh Lào Cai", "UBND xã Yên Phú"]
    assert short_unit_names(names) == ["Sở Y tế - Tỉnh Phú Thọ", "Sở Y tế - Tỉnh Lào Cai", "Xã Yên Phú"]
    assert short_unit_name(None) is None


# --- tables ------------------------------------------------------------------------------------


def test_format_table_formats_by_type_and_keeps_the_input() -> None:
    frame = pl.DataFrame(
        {
            "unit": ["Sở Y tế", "Thanh tra tỉnh"],
            "total": [77.594, None],
            "dossiers": [12135, 0],
            "online": [891.0, 0.0],
            "share": [0.9802, None],
            "active": [True, False],
            "date": [date(2026, 10, 5), None],
        }
    )
    shown = format_table(frame, percent_columns=["share"], integer_columns=["online"],
                         rename={"total": "Tổng điểm"})
    assert shown.columns == ["unit", "Tổng điểm", "dossiers", "online", "share", "active", "date"]
    assert all(dtype == pl.String for dtype in shown.dtypes)
    assert shown.row(0) == ("Sở Y tế", "77,59", "12.135", "891", "98,02 %", "có", "05/10/2026")
    assert shown.row(1) == ("Thanh tra tỉnh", "-", "0", "0", "-", "không", "-")
    assert frame.get_column("total").dtype == pl.Float64      # input untouched

    en = format_table(frame, "en", decimals={"total": 1})
    assert en.get_column("total").to_list() == ["77.6", "-"]
    assert en.get_column("dossiers").to_list() == ["12,135", "0"]


def test_format_table_names_unknown_columns() -> None:
    with pytest.raises(KeyError):
        format_table(pl.DataFrame({"a": [1.0]}), percent_columns=["b"])


def test_vietnamese_alphabetical_order() -> None:
    names = ["Đồng Tháp", "Hà Nội", "Điện Biên", "An Giang", "Huế", "Hưng Yên", "Đà Nẵng",
             "Bắc Ninh", "Cà Mau", "Hải Phòng", "Hà Tĩnh", "Ăn", "Âu", "Dương"]
    # dictionary order: a ă â b c d đ …; h-o before h-u before h-ư; tones after letters
    assert sorted(names, key=fmt.sort_key) == [
        "An Giang", "Ăn", "Âu", "Bắc Ninh", "Cà Mau", "Dương", "Đà Nẵng", "Điện Biên", "Đồng Tháp",
        "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Huế", "Hưng Yên",
    ]
    assert sorted(["a", "à", "á", "ả", "ã", "ạ"], key=fmt.sort_key) == ["a", "à", "á", "ả", "ã", "ạ"]
