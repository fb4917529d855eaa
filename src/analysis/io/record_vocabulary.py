"""The records' contract (dữ liệu hệ thống một cửa): columns, Vietnamese headers and values.

* the columns of the dossiers, procedures and petitions tables and their types (data contract,
  section 3), and the columns each must have;
* the codes of the coded columns (status, channel, rating, online level, category);
* the headers exports write for each column (``Mã hồ sơ`` → ``dossier_id``) and the words they
  write for each code (``Đã trả kết quả`` → ``finished``), folded: no case, no tone marks.

Read by :mod:`analysis.io.records` (CSV/XLSX exports) and :mod:`analysis.io.scan` (Parquet).
"""

from __future__ import annotations

import polars as pl

STATUSES = ("processing", "finished", "returned", "stopped", "rejected", "withdrawn")
TERMINAL = ("finished", "returned", "stopped", "rejected", "withdrawn")
CHANNELS = ("online", "direct", "postal")
RATINGS = ("satisfied", "unsatisfied")
ONLINE_LEVELS = ("none", "partial", "full")
CATEGORIES = ("tthc", "staff", "other")

DOSSIER_SCHEMA: dict[str, pl.DataType] = {
    "dossier_id": pl.String(),
    "unit_code": pl.String(),
    "procedure_code": pl.String(),
    "received_at": pl.Datetime("us"),
    "due_at": pl.Datetime("us"),
    "finished_at": pl.Datetime("us"),
    "status": pl.String(),
    "supplement_requests": pl.Int64(),
    "channel": pl.String(),
    "synced": pl.Boolean(),
    "fee_required": pl.Boolean(),
    "paid_online": pl.Boolean(),
    "e_result": pl.Boolean(),
    "digitized": pl.Boolean(),
    "reused_data": pl.Boolean(),
    "personal_store": pl.Boolean(),
    "citizen_data": pl.Boolean(),
    "rating": pl.String(),
}
DOSSIER_EXTRA: dict[str, pl.DataType] = {
    # beyond the contract, read when an export has them: the single supplement request's dates
    # (the clock stops between them) and whether the dossier waits for the applicant's supplement
    "supplement_requested_at": pl.Datetime("us"),
    "supplement_received_at": pl.Datetime("us"),
    "supplement_pending": pl.Boolean(),
}
PROCEDURE_SCHEMA: dict[str, pl.DataType] = {
    "unit_code": pl.String(),
    "procedure_code": pl.String(),
    "online_level": pl.String(),
    "has_fee": pl.Boolean(),
    "fee_integrated": pl.Boolean(),
    "citizen_subject": pl.Boolean(),
    "time_limit_days": pl.Float64(),
}
PETITION_SCHEMA: dict[str, pl.DataType] = {
    "petition_id": pl.String(),
    "unit_code": pl.String(),
    "received_at": pl.Datetime("us"),
    "due_at": pl.Datetime("us"),
    "resolved_at": pl.Datetime("us"),
    "category": pl.String(),
    "unsatisfied": pl.Boolean(),
}

DOSSIER_ALIASES: dict[str, tuple[str, ...]] = {
    "dossier_id": ("mã hồ sơ", "số hồ sơ", "mã hs", "số hs", "id hồ sơ", "dossier id", "mã biên nhận", "số biên nhận"),
    "unit_code": ("mã đơn vị", "mã cơ quan", "mã đơn vị xử lý", "mã đơn vị tiếp nhận", "mã cơ quan tiếp nhận",
                  "mã cơ quan xử lý", "unit code"),
    "procedure_code": ("mã tthc", "mã thủ tục", "mã thủ tục hành chính", "mã thủ tục hc", "procedure code"),
    "received_at": ("ngày tiếp nhận", "thời gian tiếp nhận", "ngày nhận", "ngày nhận hồ sơ", "ngày nộp",
                    "ngày nộp hồ sơ", "ngày giờ tiếp nhận", "received at"),
    "due_at": ("hạn xử lý", "ngày hẹn trả", "ngày hẹn trả kết quả", "hạn giải quyết", "hạn trả kết quả",
               "thời hạn giải quyết", "hạn xử lý hồ sơ", "due at"),
    "finished_at": ("ngày hoàn thành", "ngày trả kết quả", "ngày kết thúc", "thời gian hoàn thành",
                    "ngày có kết quả", "ngày xử lý xong", "ngày giải quyết xong", "finished at"),
    "status": ("trạng thái", "tình trạng", "trạng thái hồ sơ", "tình trạng xử lý", "trạng thái xử lý"),
    "supplement_requests": ("số lần bổ sung", "số lần yêu cầu bổ sung", "yêu cầu bổ sung", "số lần ycbs",
                            "số lần bổ sung hồ sơ", "bổ sung"),
    "channel": ("hình thức nộp", "kênh", "kênh tiếp nhận", "kênh nộp", "hình thức tiếp nhận", "hình thức nộp hồ sơ",
                "hình thức"),
    "synced": ("đồng bộ", "đồng bộ dvcqg", "đã đồng bộ", "đồng bộ lên cổng dvcqg", "đồng bộ cổng dvcqg"),
    "fee_required": ("có phí", "có phí, lệ phí", "có phí/lệ phí", "thu phí", "phí, lệ phí", "phí lệ phí"),
    "paid_online": ("thanh toán trực tuyến", "đã thanh toán trực tuyến", "thanh toán trực tuyến phí"),
    "e_result": ("kết quả điện tử", "có kết quả điện tử", "cấp kết quả điện tử"),
    "digitized": ("số hóa", "đã số hóa", "số hóa hồ sơ", "số hóa thành phần hồ sơ"),
    "reused_data": ("tái sử dụng dữ liệu", "tái sử dụng", "sử dụng lại dữ liệu số hóa", "tái sử dụng dữ liệu số hóa"),
    "personal_store": ("kho dữ liệu cá nhân", "đồng bộ kho dữ liệu cá nhân", "kho dl cá nhân"),
    "citizen_data": ("vneid", "dữ liệu dân cư", "khai thác dữ liệu dân cư", "tài khoản vneid",
                     "sử dụng dữ liệu dân cư"),
    "rating": ("đánh giá", "mức độ hài lòng", "kết quả đánh giá", "đánh giá hài lòng"),
    "supplement_requested_at": ("ngày yêu cầu bổ sung", "thời gian yêu cầu bổ sung"),
    "supplement_received_at": ("ngày nhận bổ sung", "ngày bổ sung", "ngày nộp bổ sung"),
}
PROCEDURE_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_code": DOSSIER_ALIASES["unit_code"],
    "procedure_code": DOSSIER_ALIASES["procedure_code"],
    "online_level": ("mức độ", "mức độ dvc", "mức độ dịch vụ công", "mức độ dvctt", "dvc trực tuyến",
                     "dịch vụ công trực tuyến", "online level"),
    "has_fee": ("có phí", "có phí, lệ phí", "có phí/lệ phí", "thu phí", "phí, lệ phí"),
    "fee_integrated": ("tích hợp phí", "tích hợp thanh toán", "công khai phí", "tích hợp, công khai phí",
                       "fee integrated"),
    "citizen_subject": ("đối tượng công dân", "đối tượng là công dân", "đối tượng cá nhân", "công dân"),
    "time_limit_days": ("thời hạn giải quyết", "thời hạn giải quyết (ngày)", "số ngày giải quyết",
                        "thời hạn (ngày)", "time limit days"),
}
PETITION_ALIASES: dict[str, tuple[str, ...]] = {
    "petition_id": ("mã pakn", "mã phản ánh", "số pakn", "mã phản ánh kiến nghị", "petition id"),
    "unit_code": DOSSIER_ALIASES["unit_code"],
    "received_at": DOSSIER_ALIASES["received_at"],
    "due_at": ("hạn xử lý", "hạn trả lời", "hạn giải quyết", "thời hạn xử lý"),
    "resolved_at": ("ngày xử lý", "ngày trả lời", "ngày hoàn thành", "ngày giải quyết", "resolved at"),
    "category": ("phân loại", "loại", "lĩnh vực phản ánh", "nhóm", "loại pakn"),
    "unsatisfied": ("không hài lòng", "chưa hài lòng", "phản ánh lại"),
}

REQUIRED = {
    "dossiers": ("dossier_id", "unit_code", "procedure_code", "received_at"),
    "procedures": ("unit_code", "procedure_code"),
    "petitions": ("petition_id", "unit_code", "received_at"),
}
TABLE_VI = {"dossiers": "hồ sơ", "procedures": "thủ tục hành chính", "petitions": "phản ánh, kiến nghị"}

# values, folded (no case, no tone marks) → contract value
STATUS_WORDS: dict[str, str] = {
    **{s: s for s in STATUSES},
    "dang xu ly": "processing", "dang giai quyet": "processing", "moi tiep nhan": "processing",
    "da tiep nhan": "processing", "tiep nhan": "processing", "cho xu ly": "processing", "dang thu ly": "processing",
    "cho tiep nhan": "processing", "cho tra ket qua": "processing", "tam dung": "processing",
    "cho bo sung": "processing", "yeu cau bo sung": "processing", "dang bo sung": "processing",
    "cho cong dan bo sung": "processing", "dang cho bo sung": "processing",
    "da tra ket qua": "finished", "hoan thanh": "finished", "da hoan thanh": "finished", "da giai quyet": "finished",
    "da xu ly": "finished", "da xu ly xong": "finished", "co ket qua": "finished", "da co ket qua": "finished",
    "tra ket qua": "finished", "ket thuc": "finished", "da ket thuc": "finished",
    "tra lai": "returned", "da tra lai": "returned", "tra ho so": "returned", "tra lai ho so": "returned",
    "dung xu ly": "stopped", "da dung xu ly": "stopped", "ngung xu ly": "stopped", "dung giai quyet": "stopped",
    "tu choi": "rejected", "da tu choi": "rejected", "khong tiep nhan": "rejected", "tu choi tiep nhan": "rejected",
    "khong giai quyet": "rejected",
    "rut ho so": "withdrawn", "da rut": "withdrawn", "da rut ho so": "withdrawn", "cong dan rut ho so": "withdrawn",
    "huy": "withdrawn", "da huy": "withdrawn", "huy ho so": "withdrawn",
}
PENDING_WORDS = ("cho bo sung", "yeu cau bo sung", "dang bo sung", "cho cong dan bo sung", "dang cho bo sung")
CHANNEL_WORDS: dict[str, str] = {
    **{c: c for c in CHANNELS},
    "truc tuyen": "online", "qua mang": "online", "dvc truc tuyen": "online", "dich vu cong truc tuyen": "online",
    "dvctt": "online", "toan trinh": "online", "mot phan": "online", "truc tuyen toan trinh": "online",
    "truc tuyen mot phan": "online", "nop truc tuyen": "online", "cong dich vu cong": "online", "internet": "online",
    "truc tiep": "direct", "tai quay": "direct", "bo phan mot cua": "direct", "mot cua": "direct",
    "nop truc tiep": "direct", "tai bo phan mot cua": "direct",
    "buu chinh": "postal", "buu dien": "postal", "buu chinh cong ich": "postal", "qua buu chinh": "postal",
    "dich vu buu chinh": "postal", "qua buu dien": "postal",
}
RATING_WORDS: dict[str, str | None] = {
    "satisfied": "satisfied", "unsatisfied": "unsatisfied",
    "hai long": "satisfied", "rat hai long": "satisfied", "binh thuong": "satisfied", "chap nhan duoc": "satisfied",
    "khong hai long": "unsatisfied", "chua hai long": "unsatisfied", "rat khong hai long": "unsatisfied",
    "chua danh gia": None, "khong danh gia": None,
}
ONLINE_LEVEL_WORDS: dict[str, str] = {
    **{c: c for c in ONLINE_LEVELS},
    "khong": "none", "khong co": "none", "muc do 1": "none", "muc do 2": "none", "muc 1": "none", "muc 2": "none",
    "cung cap thong tin": "none", "dvc thong thuong": "none", "chua cung cap": "none",
    "mot phan": "partial", "dvc mot phan": "partial", "truc tuyen mot phan": "partial", "muc do 3": "partial",
    "muc 3": "partial", "dvctt mot phan": "partial",
    "toan trinh": "full", "dvc toan trinh": "full", "truc tuyen toan trinh": "full", "muc do 4": "full",
    "muc 4": "full", "dvctt toan trinh": "full",
}
CATEGORY_WORDS: dict[str, str] = {
    **{c: c for c in CATEGORIES},
    "thu tuc hanh chinh": "tthc", "quy dinh hanh chinh": "tthc", "quy dinh": "tthc", "quy dinh, thu tuc hanh chinh": "tthc",
    "ve quy dinh hanh chinh": "tthc",
    "hanh vi": "staff", "can bo": "staff", "cong chuc": "staff", "thai do": "staff", "hanh vi, thai do": "staff",
    "can bo, cong chuc": "staff", "hanh vi hanh chinh": "staff", "thai do can bo": "staff",
    "khac": "other", "noi dung khac": "other",
}
