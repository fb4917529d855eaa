"""FAKE personal columns for dossiers (họ tên, số CCCD, số điện thoại, địa chỉ), to test that loaders drop them."""

from __future__ import annotations

import polars as pl

from analysis.synthetic.randoms import uniform
from analysis.synthetic.schema import DOSSIER_SCHEMA, PERSONAL_COLUMNS

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Linh", "Minh", "Nam", "Thảo", "Trang", "Tuấn"]


def with_fake_personal_data(dossiers: pl.DataFrame, names: pl.DataFrame | None, key0: int) -> pl.DataFrame:
    """Add FAKE applicant columns (name, CCCD, phone, address), all visibly synthetic.

    Names carry the word ``Giả Lập``; ID numbers start ``000`` (no province has that code);
    phone numbers start ``0000`` (no Vietnamese network prefix); addresses are on ``Đường Giả Lập``.
    They exist only to test that loaders drop personal data.
    """
    k = pl.lit(key0 ^ 0x5EED, dtype=pl.UInt64) + pl.int_range(pl.len(), dtype=pl.UInt64)
    family = pl.Series(FAMILY)
    given = pl.Series(GIVEN)
    out = dossiers.with_columns(
        (uniform(k, 201) * len(FAMILY)).floor().cast(pl.Int64).alias("_f"),
        (uniform(k, 202) * len(GIVEN)).floor().cast(pl.Int64).alias("_g"),
        (uniform(k, 203) * 1e9).floor().cast(pl.Int64).alias("_id"),
        (uniform(k, 204) * 1e6).floor().cast(pl.Int64).alias("_ph"),
        (uniform(k, 205) * 200 + 1).floor().cast(pl.Int64).alias("_no"),
    )
    where = pl.col("unit_code")
    if names is not None:
        out = out.join(names.select("unit_code", pl.col("unit_name").alias("_place")), on="unit_code", how="left")
        where = pl.col("_place").fill_null(pl.col("unit_code"))
    return out.with_columns(
        pl.format("{} Giả Lập {}", family.gather(out["_f"]).alias("x"), given.gather(out["_g"]).alias("y")).alias("applicant_name"),
        ("000" + pl.col("_id").cast(pl.String).str.zfill(9)).alias("applicant_id_number"),
        ("0000" + pl.col("_ph").cast(pl.String).str.zfill(6)).alias("applicant_phone"),
        pl.format("Số {}, Đường Giả Lập, {}", pl.col("_no"), where).alias("applicant_address"),
    ).select(*DOSSIER_SCHEMA, *PERSONAL_COLUMNS)

