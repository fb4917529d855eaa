"""The report's pages: each bundled notebook's title and opening paragraph, Vietnamese and English.

A page's heading is shown by the notebook's setup cell (:func:`heading`), so an English run reads an
English page from its first line, and the index and navigation use the same titles (:func:`title`).
"""

from __future__ import annotations

from analysis.report.formatting import check_language

PAGES: dict[str, dict[str, tuple[str, str]]] = {
    "scorecard": {
        "vi": ("Kết quả Bộ chỉ số 766 trong kỳ",
               "Kết quả chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực "
               "hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử (Quyết định "
               "766/QĐ-TTg): điểm của tỉnh, của từng sở, ban, ngành và từng xã, phường, tính theo phương pháp chấm "
               "điểm đã chọn từ tử số, mẫu số của Cổng Dịch vụ công quốc gia; nhóm chỉ số nào Cổng chỉ công bố điểm "
               "thì lấy điểm Cổng công bố và ghi rõ như vậy."),
        "en": ("Index 766 results for the period",
               "Results of the index of direction, management and quality of service to citizens and businesses in "
               "administrative procedures and public services, in real time and online (Decision 766/QĐ-TTg): the "
               "scores of the province, of each department and of each commune, computed with the chosen "
               "methodology from the national portal's numerators and denominators; where the portal publishes a "
               "group's score alone, that published score is used and said to be so."),
    },
    "comparison": {
        "vi": ("So sánh cơ quan, địa phương",
               "Các sở, ban, ngành so với nhau; các xã, phường so với nhau và với toàn tỉnh: thứ hạng với các ngưỡng "
               "xếp loại, điểm từng nhóm, điểm còn thiếu so với điểm tối đa (mất điểm ở đâu), và hai chỉ số đặt cạnh "
               "nhau để tìm đơn vị làm tốt việc này nhưng chưa tốt việc kia. Trong tệp HTML có thể lọc theo đơn vị, "
               "nhóm chỉ số và xếp loại ngay trên biểu đồ."),
        "en": ("Agencies and localities compared",
               "Departments against each other; communes against each other and against the province: ranks over "
               "the class bands, each group's score, the points short of the maximum (where the points were lost), "
               "and two indicators side by side to find the units that do one well and not the other. In the HTML "
               "file the charts filter by unit, group and class."),
    },
    "trends": {
        "vi": ("Diễn biến điểm số",
               "Điểm và thứ hạng theo thời gian: của tỉnh trên bảng xếp hạng toàn quốc (số liệu lũy kế năm do Cổng "
               "công bố hằng ngày) và của các đơn vị qua các kỳ có trong bộ số liệu. Các mốc thay đổi phương pháp, "
               "nền tảng (Cổng mới năm 2026) và sắp xếp đơn vị hành chính (01/7/2025) được đánh dấu trên biểu đồ: "
               "số liệu hai phía của mốc không so sánh trực tiếp được."),
        "en": ("Scores over time",
               "Scores and ranks over time: the province on the national ranking (year-to-date figures the portal "
               "publishes daily) and the units over the periods held. The changes of methodology and platform (the "
               "portal's new platform of 2026) and the reorganisation of administrative units (1 July 2025) are "
               "marked on the charts: figures on the two sides of a mark cannot be compared directly."),
    },
    "data_quality": {
        "vi": ("Chất lượng số liệu",
               "Số liệu nào đã được nạp, từ đâu, cho kỳ nào; điểm tính lại có khớp với điểm Cổng công bố không; tổng "
               "điểm công bố có bằng tổng các nhóm không (báo cáo lập thủ công từng có lỗi lệch cột); các dòng không "
               "có số liệu. Số liệu của Cổng là số tổng hợp theo đơn vị, không chứa thông tin cá nhân."),
        "en": ("Data quality",
               "What was loaded, from where, for which period; whether the recomputed scores match the portal's "
               "published ones; whether each published total equals the sum of its groups (reports typed by hand "
               "have had shifted columns); the rows without figures. The portal's figures are totals per unit and "
               "hold no personal data."),
    },
    "service_centre": {
        "vi": ("Kết quả giải quyết hồ sơ tại Trung tâm Phục vụ hành chính công",
               "Báo cáo của Trung tâm Phục vụ hành chính công lập từ hồ sơ của hệ thống một cửa, cho một khoảng ngày "
               "bất kỳ: hồ sơ kỳ trước chuyển sang và tiếp nhận trong kỳ; đã giải quyết trước hạn, đúng hạn, quá "
               "hạn; đang giải quyết chưa đến hạn, quá hạn; yêu cầu bổ sung, trả lại, rút hồ sơ; tỷ lệ hồ sơ trực "
               "tuyến và qua dịch vụ bưu chính công ích (BCCI) so với chỉ tiêu, theo từng đơn vị và tổng cộng. Thông "
               "tin cá nhân trong hồ sơ bị bỏ ngay khi đọc."),
        "en": ("Dossiers handled at the public-service centre",
               "The report a public-service centre writes from its one-stop-shop records, for any date range: "
               "dossiers carried over and received; finished early, on time and late; still in process, not yet due "
               "and overdue; supplement requests, returned and withdrawn; the online and postal (BCCI) shares "
               "against their targets, per unit and in total. Personal data in the records is dropped as they are "
               "read."),
    },
}
"""Each bundled page's (title, opening paragraph) by language."""


def title(name: str, language: str = "vi") -> str | None:
    """A bundled page's title in the run's language (None for a page of the user's own)."""
    page = PAGES.get(name)
    return page[check_language(language)][0] if page else None


def heading(name: str, language: str = "vi") -> str:
    """The page's first lines as Markdown: ``# title`` and its opening paragraph."""
    head, intro = PAGES[name][check_language(language)]
    return f"# {head}\n\n{intro}"
