"""Reading one-stop-shop exports: aliases, encodings, title and total rows, rejects, personal data."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from analysis.errors import InputError
from analysis.io.records import (
    is_personal,
    read_dossiers,
    read_dossiers_folder,
    read_petitions,
    read_procedures,
)
from analysis.io.scan import describe_file
from analysis.scoring.units import bundled_units, descendants, read_units
from tests.conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "records"
ROW_COLUMN = "_row"
UNITS = FIXTURES / "units.csv"

HEADER = ("Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Hạn xử lý,Ngày hoàn thành,Trạng thái,Số lần bổ sung,"
          "Hình thức nộp,Đồng bộ,Họ tên,Số CCCD,SĐT,Địa chỉ,E-mail")
PERSON = "Nguyễn Văn An,001203004567,0912345678,12 Lê Lợi,an@example.vn"
PERSONAL_VALUES = ("Nguyễn Văn An", "001203004567", "0912345678", "Lê Lợi", "an@example.vn")


def good(i: int, unit: str = "T01.01") -> str:
    return f"G{i},{unit},1.001,03/08/2026 08:00,07/08/2026,05/08/2026 10:00,Đã trả kết quả,0,Trực tuyến,x,{PERSON}"


# each bad row: (row text, column named, words of the reason)
BAD_ROWS = [
    (f"B1,T01.01,1.001,31/02/2026,07/08/2026,,Đang xử lý,0,Trực tiếp,,{PERSON}", "received_at", "is not a date"),
    (f"B2,T01.01,1.001,10/08/2026,05/08/2026,,Đang xử lý,0,Trực tiếp,,{PERSON}", "due_at", "before receipt"),
    (f"B3,T01.01,1.001,10/08/2026,20/08/2026,09/08/2026,Đã trả kết quả,0,Trực tiếp,,{PERSON}", "finished_at", "before receipt"),
    (f"B4,T01.01,1.001,10/08/2026,20/08/2026,,Đang bay,0,Trực tiếp,,{PERSON}", "status", "unknown status"),
    (f"B5,T01.01,1.001,10/08/2026,20/08/2026,,Đang xử lý,0,Fax,,{PERSON}", "channel", "unknown channel"),
    (f"G1,T01.01,1.001,10/08/2026,20/08/2026,,Đang xử lý,0,Trực tiếp,,{PERSON}", "dossier_id", "duplicate"),
    (f"B7,Z99,1.001,10/08/2026,20/08/2026,,Đang xử lý,0,Trực tiếp,,{PERSON}", "unit_code", "not in the units table"),
    (f"B8,T01.01,1.001,10/08/2026,20/08/2026,,Đang xử lý,hai,Trực tiếp,,{PERSON}", "supplement_requests", "not a number"),
    (f"B9,T01.01,1.001,10/08/2026,20/08/2026,,Đang xử lý,0,Trực tiếp,có lẽ,{PERSON}", "synced", "yes/no"),
    (f"B10,T01.01,1.001,10/08/2026,20/08/2026,,Đã trả kết quả,0,Trực tiếp,,{PERSON}", "finished_at", "no finish date"),
    (f"B11,T01.01,1.001,10/08/2026,20/08/2026,,Đang xử lý,1.5,Trực tiếp,,{PERSON}", "supplement_requests", "not a count"),
    (f",T01.01,1.001,10/08/2026,20/08/2026,,Đang xử lý,0,Trực tiếp,,{PERSON}", "dossier_id", "empty cell"),
]


def write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def no_personal_data(*texts: str) -> None:
    for text in texts:
        for value in PERSONAL_VALUES:
            assert value not in text, value


# --------------------------------------------------------------------------------------------
# row-level rejects through the command line


def test_bad_rows_are_rejected_with_row_column_and_reason(tmp_path):
    # rows: header 1, good G1 at row 2, the bad rows at rows 3.., a second good row at the end
    path = write(tmp_path / "d.csv", HEADER, good(1), *[r for r, _, _ in BAD_ROWS], good(2))
    out = tmp_path / "facts.csv"
    result = run_cli("facts", "--records", str(path), "--units", str(UNITS), "--period", "2026-08", "--out", str(out))
    assert result.returncode == 0, result.stderr
    n_bad = len(BAD_ROWS)
    assert f"{n_bad + 2} dòng đọc vào = 2 dòng sử dụng + {n_bad} dòng bị loại" in result.stdout
    rejects = pl.read_csv(tmp_path / "facts.rejects.csv", infer_schema=False)
    assert rejects.height == n_bad
    for i, (_, column, words) in enumerate(BAD_ROWS):
        row = rejects.filter(pl.col("_row") == str(i + 3))
        assert row.height == 1, (i, column)
        assert column in row["column"].item(), (column, row["column"].item())
        assert words in row["reason"].item(), (words, row["reason"].item())
        assert row["file"].item() == str(path)
    # the original (non-personal) cells come along, so a reader can fix the export
    assert rejects.filter(pl.col("_row") == "3")["received_at"].item() == "31/02/2026"
    assert not {"Họ tên", "Số CCCD", "SĐT", "Địa chỉ", "E-mail"} & set(rejects.columns)
    no_personal_data(result.stdout, result.stderr, (tmp_path / "facts.rejects.csv").read_text("utf-8-sig"),
                     out.read_text("utf-8-sig"))
    facts = pl.read_csv(out, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
    # G1 and G2 (finished 05/08 ≤ due 07/08) are the only dossiers used
    on_time = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "ON_TIME"))
    assert on_time.select("numerator", "denominator").row(0) == (2, 2)


def test_every_row_rejected_is_a_file_error(tmp_path):
    path = write(tmp_path / "d.csv", HEADER, *[r for r, _, _ in BAD_ROWS[:3]])
    result = run_cli("facts", "--records", str(path), "--units", str(UNITS), "--period", "2026-08",
                     "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert f"{path}, row 2, column 'received_at'" in result.stderr
    assert f"{path}, row 4, column 'finished_at'" in result.stderr
    assert "Traceback" not in result.stderr
    no_personal_data(result.stdout, result.stderr)
    assert not (tmp_path / "f.csv").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (HEADER.encode() + b"\n", "no data rows"),
    ],
)
def test_empty_files_are_file_errors(tmp_path, content, words):
    path = tmp_path / "d.csv"
    path.write_bytes(content)
    result = run_cli("facts", "--records", str(path), "--period", "2026-08", "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert str(path) in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_required_columns_are_named(tmp_path):
    path = write(tmp_path / "d.csv", "Mã hồ sơ,Ngày tiếp nhận,Họ tên", f"A1,03/08/2026,{PERSON.split(',')[0]}")
    result = run_cli("facts", "--records", str(path), "--period", "2026-08", "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert f"{path}, row 1, column 'unit_code'" in result.stderr
    assert f"{path}, row 1, column 'procedure_code'" in result.stderr
    assert "Họ tên" not in result.stderr  # the personal column is gone even from "the file has: …"
    assert "Traceback" not in result.stderr


def test_unknown_units_without_units_table(tmp_path):
    # without --units the bundled Phú Thọ units are used; T01.01 is not one of them
    path = write(tmp_path / "d.csv", HEADER, good(1))
    result = run_cli("facts", "--records", str(path), "--period", "2026-08", "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 2
    assert "unit code 'T01.01' is not in the units table" in result.stderr
    assert "no --units given" in result.stderr
    assert "row 2" in result.stderr and "Traceback" not in result.stderr


def test_bundled_units_are_the_default(tmp_path):
    path = write(tmp_path / "d.csv", HEADER, good(1, "H44.07"), good(2, "H44.07"))
    out = tmp_path / "f.csv"
    result = run_cli("facts", "--records", str(path), "--period", "2026-08", "--out", str(out))
    assert result.returncode == 0, result.stderr
    facts = pl.read_csv(out, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
    assert facts["unit_code"].n_unique() == 164
    province = facts.filter((pl.col("unit_code") == "H44") & (pl.col("indicator") == "ON_TIME"))
    assert province.select("numerator", "denominator").row(0) == (2, 2)


# --------------------------------------------------------------------------------------------
# encodings and layouts


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese exports write it: base letters precomposed, tone marks combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            # keep circumflex/breve/horn on the letter, the tone as a combining mark
            shape = [m for m in marks if m in "\u0302\u0306\u031b"]
            tone = [m for m in marks if m not in shape]
            out += unicodedata.normalize("NFC", base + "".join(shape)).encode("cp1258")
            out += "".join(tone).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16", "utf-16-le", "utf-8-sig", "semicolon"])
def test_encodings(tmp_path, encoding):
    lines = [HEADER, good(1), good(2)]
    path = tmp_path / "d.csv"
    text = "\n".join(lines) + "\n"
    if encoding == "cp1258":
        data = cp1258_bytes(text)
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    elif encoding == "semicolon":
        data = ("\ufeff" + text.replace(",", ";")).encode("utf-8")
    else:
        data = text.encode(encoding)
    path.write_bytes(data)
    result = run_cli("facts", "--records", str(path), "--units", str(UNITS), "--period", "2026-08",
                     "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 0, result.stderr
    assert "2 dòng đọc vào = 2 dòng sử dụng + 0 dòng bị loại" in result.stdout
    assert "Họ tên, Số CCCD, SĐT, Địa chỉ, E-mail" in result.stdout
    no_personal_data(result.stdout, result.stderr, (tmp_path / "f.csv").read_text("utf-8-sig"))
    loaded = read_dossiers(path)
    assert loaded.summary.rows_used == 2, loaded.rejects
    assert loaded.frame["status"].to_list() == ["finished", "finished"]
    assert loaded.frame["channel"].to_list() == ["online", "online"]
    assert set(loaded.summary.personal_columns) == {"Họ tên", "Số CCCD", "SĐT", "Địa chỉ", "E-mail"}


def test_xlsx_with_title_rows_and_total_row(tmp_path):
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Hồ sơ")
    sheet.write(0, 0, "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ")      # Excel row 1
    sheet.write(1, 0, "Tháng 8 năm 2026")                         # row 2; row 3 blank
    header = HEADER.split(",")
    for j, name in enumerate(header):
        sheet.write(3, j, name)                                   # the header: Excel row 4
    rows = [good(1).split(","), good(2).split(","), BAD_ROWS[0][0].split(",")]
    for i, cells in enumerate(rows):
        for j, value in enumerate(cells):
            sheet.write(4 + i, j, value)                          # rows 5, 6, 7 (the bad date at row 7)
    sheet.write(7, 0, "Tổng cộng")                                # row 8
    sheet.write(7, 1, "3")
    book.close()
    loaded = read_dossiers(f"{path}#Hồ sơ")
    result = run_cli("facts", "--records", f"{path}#Hồ sơ", "--units", str(UNITS), "--period", "2026-08",
                     "--out", str(tmp_path / "f.csv"))
    assert result.returncode == 0, result.stderr
    assert "3 dòng đọc vào = 2 dòng sử dụng + 1 dòng bị loại" in result.stdout
    s = loaded.summary
    assert (s.rows_in, s.rows_used, s.rows_rejected) == (3, 2, 1)
    assert loaded.rejects["_row"].to_list() == [7]
    assert loaded.rejects["column"].to_list() == ["received_at"]
    notes = " ".join(s.notes)
    assert "dòng 4" in notes           # where the header was found
    assert "tổng cộng" in notes and "dòng 8" in notes
    # the same file through validate: the bad row is named by file, row and column
    result = run_cli("validate", f"{path}#Hồ sơ")
    assert result.returncode == 2
    assert f"{path}#Hồ sơ, row 7, column 'received_at'" in result.stderr
    no_personal_data(result.stdout, result.stderr)


def test_xlsx_datetime_cells(tmp_path):
    import datetime as dt

    path = tmp_path / "d.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    stamp = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for j, name in enumerate(["Mã hồ sơ", "Mã đơn vị", "Mã TTHC", "Ngày tiếp nhận", "Ngày hẹn trả"]):
        sheet.write(0, j, name)
    sheet.write_row(1, 0, ["A1", "T01.01", "1.001"])
    sheet.write_datetime(1, 3, dt.datetime(2026, 8, 3, 8, 30), stamp)
    sheet.write_datetime(1, 4, dt.datetime(2026, 8, 7), stamp)
    book.close()
    frame = read_dossiers(path).frame
    assert frame["received_at"].to_list() == [dt.datetime(2026, 8, 3, 8, 30)]
    assert frame["due_at"].to_list() == [dt.datetime(2026, 8, 7)]


def test_two_columns_for_the_due_date(tmp_path):
    path = write(tmp_path / "d.csv", "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận,Hạn xử lý,Ngày hẹn trả",
                 "A1,T01.01,1.001,03/08/2026,07/08/2026,09/08/2026")
    loaded = read_dossiers(path)
    assert loaded.frame["due_at"].dt.day().to_list() == [7]
    assert any("Ngày hẹn trả" in note for note in loaded.summary.notes)


# --------------------------------------------------------------------------------------------
# personal data


@pytest.mark.parametrize("header", ["Họ tên", "Họ và tên", "Tên người nộp", "Người nộp", "Chủ hồ sơ", "CCCD",
                                    "Số CMND", "Số giấy tờ", "Số điện thoại", "SĐT", "Địa chỉ", "Email",
                                    "Địa chỉ thư điện tử", "Người phản ánh", "Ngày sinh"])
def test_personal_headers(header):
    assert is_personal(header)


@pytest.mark.parametrize("header", ["Mã hồ sơ", "Ngày nộp", "Hình thức nộp", "Tên thủ tục", "Tên đơn vị",
                                    "Trạng thái", "Địa bàn"])
def test_not_personal_headers(header):
    assert not is_personal(header)


def test_personal_data_never_kept(tmp_path):
    path = write(tmp_path / "d.csv", HEADER, good(1), BAD_ROWS[0][0])
    loaded = read_dossiers(path)
    for frame in (loaded.frame, loaded.rejects):
        assert not {"Họ tên", "Số CCCD", "SĐT", "Địa chỉ", "E-mail"} & set(frame.columns)
        no_personal_data(frame.write_csv())
    no_personal_data(loaded.summary.render("vi"), loaded.summary.render("en"), str(loaded.summary.notes))
    assert loaded.summary.personal_columns == ["Họ tên", "Số CCCD", "SĐT", "Địa chỉ", "E-mail"]


# --------------------------------------------------------------------------------------------
# invariants and the other tables


def test_rows_in_equals_used_plus_rejected(tmp_path):
    path = write(tmp_path / "d.csv", HEADER, good(1), *[r for r, _, _ in BAD_ROWS], good(2), good(3))
    loaded = read_dossiers(path, units=read_units(UNITS))
    s = loaded.summary
    assert s.rows_in == s.rows_used + s.rows_rejected == len(BAD_ROWS) + 3
    assert loaded.frame.height == s.rows_used and loaded.rejects.height == s.rows_rejected
    assert s.rows_rejected == len(BAD_ROWS)
    # every problem is an InputError-ready Problem naming file, row and column
    problems = loaded.problems()
    assert {p.row for p in problems} == set(range(3, 3 + len(BAD_ROWS)))
    assert all(p.file == str(path) and p.column for p in problems)


def test_procedure_and_petition_rejects(tmp_path):
    procedures = write(tmp_path / "p.csv", "Mã đơn vị,Mã TTHC,Mức độ,Có phí,Thời hạn giải quyết (ngày)",
                       "T01.01,1.001,Toàn trình,có,5", "T01.01,1.002,Mức độ 9,có,5",
                       "T01.01,1.001,Một phần,có,5", "T01.01,1.003,Một phần,hmm,-2")
    loaded = read_procedures(procedures)
    assert loaded.frame["procedure_code"].to_list() == ["1.001"]
    reasons = dict(zip(loaded.rejects["_row"].to_list(), loaded.rejects["reason"].to_list(), strict=True))
    assert "unknown online level" in reasons[3]
    assert "duplicate" in reasons[4]
    assert "yes/no" in reasons[5] and "negative" in reasons[5]
    petitions = write(tmp_path / "q.csv", "Mã PAKN,Mã đơn vị,Ngày tiếp nhận,Hạn xử lý,Ngày xử lý,Phân loại",
                      "P1,T01.01,03/08/2026,10/08/2026,05/08/2026,Cán bộ",
                      "P2,T01.01,03/08/2026,10/08/2026,01/08/2026,Cán bộ",
                      "P3,T01.01,03/08/2026,10/08/2026,,Thời tiết")
    loaded = read_petitions(petitions)
    assert loaded.frame["category"].to_list() == ["staff"]
    reasons = dict(zip(loaded.rejects["_row"].to_list(), loaded.rejects["reason"].to_list(), strict=True))
    assert "before receipt" in reasons[3] and "unknown category" in reasons[4]


def test_describe_file(tmp_path):
    assert "không có lỗi" in describe_file(FIXTURES / "dossiers.csv")
    assert "procedures" in describe_file(FIXTURES / "procedures.csv")
    assert "petitions" in describe_file(FIXTURES / "petitions.csv")
    bad = write(tmp_path / "d.csv", HEADER, good(1), BAD_ROWS[1][0])
    with pytest.raises(InputError) as caught:
        describe_file(bad)
    assert caught.value.problems[0].row == 3 and caught.value.problems[0].column == "due_at"
    result = run_cli("validate", str(FIXTURES / "dossiers.csv"))
    assert result.returncode == 0, result.stderr
    assert "21 dòng" in result.stdout


# --------------------------------------------------------------------------------------------
# units


def test_read_units_and_descendants():
    units = read_units(UNITS)
    assert dict(zip(units["unit_code"], units["level"], strict=True)) == {
        "T01": "province", "T01.01": "department", "T01.H1": "district",
        "T01.H1.X1": "commune", "T01.H1.X2": "commune", "T01.H2": "district",
    }
    pairs = descendants(units)
    under = lambda code: set(pairs.filter(pl.col("ancestor_code") == code)["unit_code"])  # noqa: E731
    assert under("T01.H1") == {"T01.H1", "T01.H1.X1", "T01.H1.X2"}
    assert under("T01") == set(units["unit_code"])
    assert under("T01.H1.X1") == {"T01.H1.X1"}
    assert pairs.height == 6 + 5 + 2  # self pairs, T01 over 5, T01.H1 over 2


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (["A,Tỉnh A,tỉnh,", "B,Xã B,xã,Z"], "parent unit Z is not in the table"),
        (["A,Tỉnh A,tỉnh,B", "B,Xã B,xã,A"], "its own ancestor"),
        (["A,Tỉnh A,vùng,"], "unknown level"),
        (["A,Tỉnh A,tỉnh,", "A,Tỉnh A,tỉnh,"], "duplicate unit code"),
    ],
)
def test_bad_units(tmp_path, rows, words):
    path = write(tmp_path / "u.csv", "Mã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cha", *rows)
    with pytest.raises(InputError, match=words):
        read_units(path)


def test_bundled_units():
    units = bundled_units()
    assert units.height == 164
    assert units.filter(pl.col("parent_code").is_null())["unit_code"].to_list() == ["H44"]


# --------------------------------------------------------------------------------------------
# folders: Parquet datasets and monthly CSV exports


def test_parquet_dataset_rejects_name_file_and_row(tmp_path):
    from datetime import datetime

    folder = tmp_path / "ds"
    july = folder / "year=2026" / "month=7"
    august = folder / "year=2026" / "month=8"
    july.mkdir(parents=True)
    august.mkdir(parents=True)
    base = {"unit_code": "T01.01", "procedure_code": "1.001", "status": "processing", "channel": "online",
            "applicant_phone": "0912345678"}
    pl.DataFrame([
        {**base, "dossier_id": "J1", "received_at": datetime(2026, 7, 2)},
        {**base, "dossier_id": "A1", "received_at": datetime(2026, 7, 3)},     # A1 again in August
    ]).write_parquet(july / "part.parquet")
    pl.DataFrame([
        {**base, "dossier_id": "A1", "received_at": datetime(2026, 8, 3)},     # row 1: duplicate of July's
        {**base, "dossier_id": "A2", "received_at": None},                     # row 2: no receipt date
        {**base, "dossier_id": "A3", "received_at": datetime(2026, 8, 4), "status": "flying"},  # row 3
        {**base, "dossier_id": "A4", "received_at": datetime(2026, 8, 5)},     # row 4: fine
        {**base, "dossier_id": "A5", "received_at": datetime(2026, 8, 6), "unit_code": "Z9"},  # row 5
    ]).write_parquet(august / "part.parquet")
    out = tmp_path / "facts.csv"
    result = run_cli("facts", "--records", str(folder), "--units", str(UNITS), "--period", "2026-08", "--out", str(out))
    assert result.returncode == 0, result.stderr
    # 7 rows in; rejected: A2, A3, A5 (row checks) and the second A1 (duplicate) → 3 used (J1, A1, A4)
    assert "7 dòng đọc vào = 3 dòng sử dụng + 4 dòng bị loại" in result.stdout
    rejects = pl.read_csv(tmp_path / "facts.rejects.csv", infer_schema=False)
    got = {(Path(f).parent.name, r, c) for f, r, c in rejects.select("file", "_row", "column").iter_rows()}
    assert got == {("month=8", "1", "dossier_id"), ("month=8", "2", "received_at"), ("month=8", "3", "status"),
                   ("month=8", "5", "unit_code")}
    no_personal_data(result.stdout, (tmp_path / "facts.rejects.csv").read_text("utf-8-sig"))
    facts = pl.read_csv(out, schema_overrides={"numerator": pl.Float64, "denominator": pl.Float64})
    received = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "ON_TIME"))["denominator"]
    assert received.to_list() == [1]  # A4 only: the first A1 was received in July


def test_folder_of_monthly_exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder / "2026-07.csv", HEADER, good(1), good(2))
    write(folder / "2026-08.csv", HEADER, good(2), good(3), BAD_ROWS[0][0])  # G2 again; a bad date at row 4
    loaded = read_dossiers_folder(folder, units=read_units(UNITS))
    s = loaded.summary
    assert (s.rows_in, s.rows_used, s.rows_rejected) == (5, 3, 2)
    got = {(Path(f).name, r, c) for f, r, c in loaded.rejects.select("file", "_row", "column").iter_rows()}
    assert got == {("2026-08.csv", 2, "dossier_id"), ("2026-08.csv", 4, "received_at")}
    assert "first in" in " ".join(loaded.rejects["reason"].to_list())
    assert sorted(loaded.frame["dossier_id"]) == ["G1", "G2", "G3"]


def facts_run(records: Path, out: Path):
    result = run_cli("facts", "--records", str(records), "--units", str(UNITS), "--period", "2026-08", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return result, pl.read_csv(out, infer_schema=False), pl.read_csv(out.with_name(f"{out.stem}.rejects.csv"),
                                                                     infer_schema=False)


def test_folder_of_exports_counts_and_rejects_as_one_combined_file(tmp_path):
    # the same rows as two monthly exports and as one file: G2 repeats across the exports, and G1
    # again (a bad row list's "duplicate") in the second one
    folder = tmp_path / "exports"
    folder.mkdir()
    bad = [r for r, _, _ in BAD_ROWS]
    write(folder / "2026-07.csv", HEADER, good(1), good(2))
    write(folder / "2026-08.csv", HEADER, good(2), good(3), *bad, good(4))
    write(tmp_path / "all.csv", HEADER, good(1), good(2), good(2), good(3), *bad, good(4))
    by_folder, folder_facts, folder_rejects = facts_run(folder, tmp_path / "folder.csv")
    by_file, file_facts, file_rejects = facts_run(tmp_path / "all.csv", tmp_path / "file.csv")
    assert folder_facts.equals(file_facts)
    n_bad = len(BAD_ROWS) + 1  # the bad rows (G1 again among them) and G2 again
    assert f"{len(bad) + 5} dòng đọc vào = 4 dòng sử dụng + {n_bad} dòng bị loại" in by_folder.stdout
    assert f"{len(bad) + 5} dòng đọc vào = 4 dòng sử dụng + {n_bad} dòng bị loại" in by_file.stdout

    def named(rejects):
        return sorted(rejects.select(pl.col("dossier_id").fill_null(""), "column").rows())

    assert folder_rejects.height == file_rejects.height == n_bad
    assert named(folder_rejects) == named(file_rejects)
    # every reject of the folder names its export and its row there (header = row 1)
    second = str(folder / "2026-08.csv")
    assert set(folder_rejects["file"]) == {second}
    rows = dict(zip(folder_rejects["dossier_id"].fill_null("(empty)"), folder_rejects["_row"].cast(pl.Int64), strict=False))
    assert rows["G2"] == 2 and rows["B1"] == 4 and rows["G1"] == 4 + 5  # the sixth bad row
    no_personal_data(by_folder.stdout, (tmp_path / "folder.rejects.csv").read_text("utf-8-sig"))


def test_a_duplicate_id_across_two_exports_is_a_rejected_row(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    write(folder / "2026-07.csv", HEADER, good(1), good(5))
    write(folder / "2026-08.csv", HEADER, good(3), good(5))
    result, facts, rejects = facts_run(folder, tmp_path / "facts.csv")
    assert "Traceback" not in result.stderr
    assert "4 dòng đọc vào = 3 dòng sử dụng + 1 dòng bị loại" in result.stdout
    assert rejects.select("file", "_row", "column", "dossier_id").rows() == [
        (str(folder / "2026-08.csv"), "3", "dossier_id", "G5")]
    assert str(folder / "2026-07.csv") in rejects["reason"][0] and "row 3" in rejects["reason"][0]
    received = facts.filter((pl.col("unit_code") == "T01.01") & (pl.col("indicator") == "ON_TIME"))["denominator"]
    assert [float(x) for x in received] == [3.0]  # G1, G5 (once) and G3


def test_a_folder_larger_than_memory_limit_is_read_one_export_at_a_time(tmp_path, monkeypatch):
    # each export under the limit of what is read whole, the folder over it: streamed, not refused;
    # a single export over the limit is read in parts
    folder = tmp_path / "exports"
    folder.mkdir()
    for month in range(1, 5):
        write(folder / f"2026-0{month}.csv", HEADER, *[good(100 * month + i) for i in range(6)])
    size = max(f.stat().st_size for f in folder.iterdir())
    monkeypatch.setenv("ANALYSIS_MAX_READ_MB", str((size + 10) / 2**20))
    result = run_cli("facts", "--records", str(folder), "--units", str(UNITS), "--period", "2026", "--out",
                     str(tmp_path / "facts.csv"))
    assert result.returncode == 0, result.stderr
    assert "24 dòng đọc vào = 24 dòng sử dụng + 0 dòng bị loại" in result.stdout
    write(folder / "2026-05.csv", HEADER, *[good(500 + i) for i in range(12)])
    result = run_cli("facts", "--records", str(folder), "--units", str(UNITS), "--period", "2026", "--out",
                     str(tmp_path / "facts.csv"))
    assert result.returncode == 0, result.stderr
    assert "36 dòng đọc vào = 36 dòng sử dụng + 0 dòng bị loại" in result.stdout
    assert re.search(r"2026-05.csv: 0,0 MiB, đọc theo [2-9] phần", result.stdout), result.stdout


def test_rows_that_do_not_line_up_with_the_header(tmp_path):
    # row 3: an unquoted comma inside the name pushes "Văn An" under the next header (Mã đơn vị…);
    # row 4: cells missing.  Both are rejected by row, their cells are not repeated anywhere.
    path = write(tmp_path / "d.csv", "Mã hồ sơ,Họ tên,Mã đơn vị,Mã TTHC,Ngày tiếp nhận",
                 "A1,Trần Bình,T01.01,1.001,03/08/2026",
                 "A2,Nguyễn,Văn An,T01.01,1.001,03/08/2026",
                 "A3,Lê Cường,T01.01")
    loaded = read_dossiers(path, units=read_units(UNITS))
    s = loaded.summary
    assert (s.rows_in, s.rows_used, s.rows_rejected) == (3, 1, 2)
    assert loaded.rejects["_row"].to_list() == [3, 4]
    assert all("cells" in r or "cell(s)" in r for r in loaded.rejects["reason"])
    text = loaded.rejects.write_csv() + " ".join(str(p) for p in loaded.problems())
    assert "Văn An" not in text and "Nguyễn" not in text and "Cường" not in text
    with pytest.raises(InputError) as caught:
        describe_file(path)
    assert f"{path}, row 3: the row has 6 cells, the header 5" in caught.value.render()
    assert "Văn An" not in caught.value.render()


def test_stray_bom_and_repeated_header_from_pasted_files(tmp_path):
    # two exports pasted together: the second one's BOM and header land at rows 4 (a stray BOM)
    text = "\ufeff" + "\n".join([HEADER, good(1), good(2)]) + "\n" + "\ufeff" + "\n".join([HEADER, good(3)]) + "\n"
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    loaded = read_dossiers(path)
    s = loaded.summary
    assert (s.rows_in, s.rows_used, s.rows_rejected) == (3, 3, 0)
    assert loaded.frame["dossier_id"].to_list() == ["G1", "G2", "G3"]
    assert any("tiêu đề" in n and "dòng 4" in n for n in s.notes)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026-08-03T01:30:00Z", "2026-08-03 08:30"),        # UTC → Vietnam time
        ("2026-08-03T08:30:00+07:00", "2026-08-03 08:30"),
        ("03/08/2026 08h30", "2026-08-03 08:30"),
        ("3/8/2026 8:30", "2026-08-03 08:30"),
        ("08:30 03/08/2026", "2026-08-03 08:30"),
    ],
)
def test_date_time_spellings(tmp_path, cell, expected):
    path = write(tmp_path / "d.csv", "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận", f"A1,T01.01,1.001,{cell}")
    assert read_dossiers(path).frame["received_at"].dt.strftime("%Y-%m-%d %H:%M").to_list() == [expected]


def test_two_digit_year_is_not_year_26(tmp_path):
    path = write(tmp_path / "d.csv", "Mã hồ sơ,Mã đơn vị,Mã TTHC,Ngày tiếp nhận", "A1,T01.01,1.001,3/8/26",
                 "A2,T01.01,1.001,03/08/2026")
    loaded = read_dossiers(path)
    assert loaded.rejects.select(ROW_COLUMN, "column").rows() == [(2, "received_at")]


EDGE_CELLS = [
    "2026-08-03T08:30:00.000000", "2026-08-03T08:30:00.123456", "2026-08-03T08:30:00", "2026-08-03T08:30:00.5",
    "2026-08-03 08:30:00", "2026-08-03 08:30:00.250", "2026-08-03 08:30", "2026-08-03", "03/08/2026 08:30:00",
    "3/8/2026 08:30:00", "03/08/2026 08:30", "03/08/2026", "03-08-2026 10:00", "03.08.2026", "2026/08/03",
    "03/08/2026 08h30", "08:30 03/08/2026", "2026-08-03T01:30:00Z", "2026-08-03T08:30:00+07:00", "1788220800",
    "1788220800000", "2026-08-03T24:00:00.000000", "2026-08-03T23:60:00.000000", "2026-08-03T23:59:60.000000",
    "2026-02-29T08:30:00.000000", "2024-02-29T08:30:00.000000", "2026-13-01T08:30:00.000000",
    "2026-00-10 08:30:00", "2026-08-00 08:30:00", "0000-01-01T00:00:00.000000", "1989-12-31 23:59:59",
    "2101-01-01 00:00:00", "2100-12-31T23:59:59.999999", "31/02/2026 08:30:00", "29/02/2024 24:00:00",
    "12026-08-03T08:30:00.000000", "2026-8-3T08:30:00.000000", "2026-08-03t08:30:00.000000", "+2026-08-03 08:30:00",
    "2026-08-03T08:30:00.1234567", "2026-08-03T08:30:00,000000", "  2026-08-03T08:30:00.000000  ", "x", "", None,
]


@pytest.mark.parametrize("first", ["2026-08-03T08:30:00.000000", "2026-08-03 08:30:00", "03/08/2026 08:30:00",
                                   "03/08/2026", "x"])
def test_reading_a_date_column_in_order_gives_what_every_reading_at_once_gives(first):
    # each reading is tried only on the cells no earlier one read, a fixed-width one first when the
    # column's first cell is in it: the values must be those of all the readings in their order
    from analysis.io.dates import parse_when, when_parsed

    frame = pl.DataFrame({"c": [first, *EDGE_CELLS, *reversed(EDGE_CELLS)]}, schema={"c": pl.String})
    expected = frame.select(parse_when("c")).to_series()
    assert frame.select(when_parsed(frame, "c")).to_series().to_list() == expected.to_list()
    assert expected.null_count() < frame.height - 10  # most cells are dates: the comparison is not of nulls
