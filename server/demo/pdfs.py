"""Render the demo organisation's documents to PDF with PyMuPDF.

Vietnamese documents follow the layout of Vietnamese administrative documents
(issuing body and number on the left, the national motto on the right, a
centred title, numbered sections, a signature block); English ones are
briefings for development partners. All text is set in the bundled Noto Serif
(SIL OFL 1.1, see ``resources/fonts``), embedded as a subset, so diacritics
render everywhere and ``page.get_text()`` gives them back for search.

:func:`render_document` is deterministic for a given :class:`DocumentSpec`:
the text comes from a random generator seeded with ``spec.seed``, and every
document has exactly ``spec.pages`` pages.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf as _pymupdf

from meetingroom.domain import Classification
from resources import BOLD, ITALIC, REGULAR, font_path
from server.demo.organisation import PROVINCE, DocumentKind, DocumentSpec

# PyMuPDF ships partial annotations (untyped functions); used as Any here.
pymupdf: Any = _pymupdf

# A4 in points; margins as the Vietnamese rules for documents ask (top/bottom 2 cm,
# left 3 cm, right 2 cm).
PAGE_W, PAGE_H = 595.0, 842.0
LEFT, RIGHT, TOP, BOTTOM = 85.0, PAGE_W - 57.0, 62.0, PAGE_H - 57.0
TEXT_W = RIGHT - LEFT

BLACK = (0.0, 0.0, 0.0)
RED = (0.8, 0.05, 0.05)
GREY = (0.35, 0.35, 0.35)
HEADER_FILL = (0.9, 0.92, 0.95)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

#: Style name -> (font resource name in the PDF, bundled file).
_STYLES = {
    "reg": ("NotoSerif", REGULAR),
    "bold": ("NotoSerifB", BOLD),
    "ital": ("NotoSerifI", ITALIC),
}


@functools.cache
def _font(style: str) -> pymupdf.Font:
    return pymupdf.Font(fontfile=str(font_path(_STYLES[style][1])))


@functools.cache
def _word_width(word: str, style: str) -> float:
    """Width of ``word`` at size 1 (widths scale linearly with the size)."""
    return float(_font(style).text_length(word, fontsize=1.0))


@functools.cache
def _glyph_hex(text: str, style: str) -> str:
    """``text`` as the hex glyph ids of the font (4 digits each, as Identity-H wants)."""
    return "".join(f"{_glyph_id(ch, style):04x}" for ch in text)


@functools.cache
def _glyph_id(ch: str, style: str) -> int:
    return int(_font(style).has_glyph(ord(ch)))


def text_width(text: str, style: str, size: float) -> float:
    return float(_font(style).text_length(text, fontsize=size))


def wrap(text: str, style: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (greedy, at spaces)."""
    space = _word_width(" ", style) * size
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        w = _word_width(word, style) * size
        if line and used + space + w > width:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            used = used + space + w if line else w
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines or [""]


class _Full(Exception):
    """The document reached its promised page count."""


@dataclass
class _Column:
    header: str
    width: float
    align: str = "left"  # "left", "center" or "right"


class _Writer:
    """Lays out flowing content on exactly ``pages`` pages of a new PDF."""

    def __init__(self, spec: DocumentSpec, reserve: float) -> None:
        self.spec = spec
        self.pages = spec.pages
        self.reserve = reserve  # kept free at the bottom of the last page for the closing
        self.doc: Any = pymupdf.open()
        self.toc: list[list[Any]] = []
        self.shape: Any = None
        self.page: Any = None
        self._font_xrefs: dict[str, int] = {}
        self._pending: list[tuple[str, int, float, float]] = []  # headings not yet drawn
        self.y = TOP
        self._new_page()

    # -- pages -----------------------------------------------------------

    @property
    def page_no(self) -> int:
        return int(self.doc.page_count)

    @property
    def on_last_page(self) -> bool:
        return self.page_no >= self.pages

    @property
    def bottom(self) -> float:
        return BOTTOM - self.reserve if self.on_last_page else BOTTOM

    def _commit(self) -> None:
        if self.shape is not None:
            self.shape.commit()
            self.shape = None

    def _new_page(self) -> None:
        self._commit()
        page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        if not self._font_xrefs:  # embed each font once, on the first page ...
            for name, file in _STYLES.values():
                xref = page.insert_font(fontname=name, fontfile=str(font_path(file)))
                self._font_xrefs[name] = xref
        else:  # ... and only refer to it from the others
            fonts = " ".join(f"/{name} {xref} 0 R" for name, xref in self._font_xrefs.items())
            self.doc.xref_set_key(page.xref, "Resources", f"<</Font <<{fonts}>>>>")
        self.page = page
        self.shape = page.new_shape()
        self.y = TOP
        if self.page_no > 1:  # page numbers at the top centre from page 2 on
            self.centered(str(self.page_no), PAGE_W / 2, 40, "reg", 11, GREY)
        if self.spec.classification is not Classification.NORMAL:
            self._stamp()

    def _stamp(self) -> None:
        """The red boxed "MẬT" mark of a classified document, top left of every page."""
        label = {
            Classification.CONFIDENTIAL: "MẬT",
            Classification.SECRET: "TỐI MẬT",
            Classification.TOP_SECRET: "TUYỆT MẬT",
        }[self.spec.classification]
        w = text_width(label, "bold", 14) + 16
        rect = pymupdf.Rect(LEFT - 40, 22, LEFT - 40 + w, 44)
        self.shape.draw_rect(rect)
        self.shape.finish(color=RED, width=1.5)
        self.text(rect.x0 + 8, rect.y1 - 6, label, "bold", 14, RED)
        self.text(
            LEFT,
            PAGE_H - 28,
            "Tài liệu MẬT - không sao chụp, không mang ra khỏi phòng họp",
            "ital",
            9,
            RED,
        )

    def room(self, height: float) -> None:
        """Make sure ``height`` fits below the cursor, starting a new page if needed."""
        if self.y + height <= self.bottom:
            return
        if self.on_last_page:
            raise _Full
        self._new_page()

    def fits_on_last_page(self, height: float) -> bool:
        return not self.on_last_page or self.y + height <= self.bottom

    # -- drawing ---------------------------------------------------------

    def text(
        self,
        x: float,
        y: float,
        text: str,
        style: str = "reg",
        size: float = 13,
        color: tuple[float, float, float] = BLACK,
    ) -> None:
        # Written as content-stream operators directly: Shape.insert_text looks up
        # the page's fonts on every call, which made the 320-page document take 7 s.
        # The fonts are CID fonts with CID = glyph id (Identity-H), as insert_font made them.
        r, g, b = color
        self.shape.text_cont += (
            f"BT /{_STYLES[style][0]} {size:g} Tf {r:g} {g:g} {b:g} rg "
            f"1 0 0 1 {x:.2f} {PAGE_H - y:.2f} Tm [<{_glyph_hex(text, style)}>] TJ ET\n"
        )

    def centered(
        self,
        text: str,
        cx: float,
        y: float,
        style: str = "reg",
        size: float = 13,
        color: tuple[float, float, float] = BLACK,
    ) -> None:
        self.text(cx - text_width(text, style, size) / 2, y, text, style, size, color)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.6) -> None:
        self.shape.draw_line((x0, y0), (x1, y1))
        self.shape.finish(color=BLACK, width=width)

    # -- flowing blocks --------------------------------------------------

    def space(self, height: float) -> None:
        self.y += height

    def paragraph(
        self,
        text: str,
        style: str = "reg",
        size: float = 13,
        indent: float = 28.0,
        leading: float = 1.38,
        align: str = "left",
        after: float = 6.0,
    ) -> None:
        lh = size * leading
        width = TEXT_W - indent
        lines = wrap(text, style, size, width)
        self._flush_headings(lh * min(3, len(lines)), lh * len(lines))
        for i, line in enumerate(lines):
            self.room(lh)
            self.y += lh
            if align == "center":
                self.centered(line, LEFT + TEXT_W / 2, self.y - lh * 0.28, style, size)
            else:
                x = LEFT + (indent if i == 0 else 0.0)
                self.text(x, self.y - lh * 0.28, line, style, size)
        self.y += after

    def heading(self, text: str, level: int = 1, size: float = 13, indent: float = 28.0) -> None:
        """A bold section heading; drawn with the block that follows it, never alone."""
        self._pending.append((text, level, size, indent))

    def _pending_height(self) -> float:
        return sum(
            size * 1.4 * len(wrap(text, "bold", size, TEXT_W - indent)) + 7
            for text, _, size, indent in self._pending
        )

    def _flush_headings(self, lead: float, whole: float) -> None:
        """Draw pending headings, keeping ``lead`` of the next block with them.

        On the last page the next block must fit ``whole``, or nothing is drawn.
        """
        if not self._pending:
            if not self.fits_on_last_page(whole):
                raise _Full
            return
        hh = self._pending_height()
        if not self.fits_on_last_page(hh + whole):
            raise _Full
        self.room(hh + lead)
        for text, level, size, indent in self._pending:
            lh = size * 1.4
            self.toc.append([level, text, self.page_no, {"kind": pymupdf.LINK_GOTO}])
            self.y += 4
            for i, line in enumerate(wrap(text, "bold", size, TEXT_W - indent)):
                self.y += lh
                x = LEFT + (indent if i == 0 else 0)
                self.text(x, self.y - lh * 0.28, line, "bold", size)
            self.y += 3
        self._pending.clear()

    def table(
        self, columns: Sequence[_Column], rows: Sequence[Sequence[str]], size: float = 10.5
    ) -> None:
        """A ruled table that breaks across pages, repeating its header row."""
        lh = size * 1.3
        pad = 4.0

        def cells(row: Sequence[str], style: str) -> list[list[str]]:
            return [
                wrap(v, style, size, c.width - 2 * pad) for v, c in zip(row, columns, strict=True)
            ]

        def draw_row(
            row: Sequence[str], style: str, fill: tuple[float, float, float] | None
        ) -> None:
            wrapped = cells(row, style)
            height = max(len(c) for c in wrapped) * lh + 2 * pad
            top = self.y
            x = LEFT
            if fill is not None:
                self.shape.draw_rect(pymupdf.Rect(LEFT, top, LEFT + total, top + height))
                self.shape.finish(color=None, fill=fill, width=0)
            for col, lines in zip(columns, wrapped, strict=True):
                for i, line in enumerate(lines):
                    base = top + pad + (i + 1) * lh - lh * 0.25
                    if col.align == "right":
                        tx = x + col.width - pad - text_width(line, style, size)
                    elif col.align == "center":
                        tx = x + (col.width - text_width(line, style, size)) / 2
                    else:
                        tx = x + pad
                    self.text(tx, base, line, style, size)
                x += col.width
            # rules: the top and bottom of the row and every column edge
            shape = self.shape
            shape.draw_line((LEFT, top), (LEFT + total, top))
            shape.draw_line((LEFT, top + height), (LEFT + total, top + height))
            x = LEFT
            for col in columns:
                shape.draw_line((x, top), (x, top + height))
                x += col.width
            shape.draw_line((x, top), (x, top + height))
            shape.finish(color=BLACK, width=0.5)
            self.y = top + height

        def row_height(row: Sequence[str], style: str) -> float:
            return max(len(c) for c in cells(row, style)) * lh + 2 * pad

        total = sum(c.width for c in columns)
        header = [c.header for c in columns]
        head_h = row_height(header, "bold")
        first = row_height(rows[0], "reg") if rows else 0.0
        self._flush_headings(head_h + first, head_h + first)
        self.room(head_h + first)
        draw_row(header, "bold", HEADER_FILL)
        for row in rows:
            h = row_height(row, "reg")
            if self.y + h > self.bottom:
                self.room(head_h + h + 1e6)  # forces a new page (or _Full on the last one)
            if self.y == TOP:
                self.y += 6
                draw_row(header, "bold", HEADER_FILL)
            draw_row(row, "reg", None)
        self.y += 10

    # -- output ----------------------------------------------------------

    def finish(self) -> bytes:
        self._commit()
        while self.doc.page_count < self.pages:  # content ran out early: blank pages
            self._new_page()
            self._commit()
        spec = self.spec
        self.doc.set_toc(self.toc)
        stamp = f"D:{spec.issued_on:%Y%m%d}080000+07'00'"
        self.doc.set_metadata(
            {
                "title": spec.title,
                "author": spec.author,
                "subject": spec.subtitle or spec.title,
                "keywords": f"{PROVINCE}; {spec.kind.value}; {spec.classification.value}",
                "creator": "MeetingRoom seed-demo",
                "producer": f"PyMuPDF {pymupdf.VersionBind}",
                "creationDate": stamp,
                "modDate": stamp,
            }
        )
        self.doc.subset_fonts()
        data: bytes = self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)
        self.doc.close()
        return data


# --- text -------------------------------------------------------------------

_VI_SENTENCES = (
    "Dưới sự lãnh đạo, chỉ đạo sát sao của Ban Chấp hành, Ban Thường vụ Tỉnh ủy, sự vào cuộc "
    "của cả hệ thống chính trị, tình hình kinh tế - xã hội của tỉnh tiếp tục chuyển biến tích cực.",
    "Tổng sản phẩm trên địa bàn tỉnh (GRDP) ước tăng 7,8% so với cùng kỳ năm trước, "
    "cao hơn mức bình quân chung của cả nước.",
    "Sản xuất nông nghiệp được mùa, được giá; diện tích gieo trồng lúa đạt 102,3% kế hoạch, "
    "năng suất bình quân ước đạt 61,5 tạ/ha.",
    "Thu ngân sách nhà nước trên địa bàn ước đạt 12.450 tỷ đồng, bằng 94,6% dự toán "
    "Hội đồng nhân dân tỉnh giao.",
    "Công tác giải ngân vốn đầu tư công còn chậm, một số dự án trọng điểm chưa bảo đảm tiến độ "
    "do vướng mắc trong công tác bồi thường, giải phóng mặt bằng.",
    "Các chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời; đời sống của Nhân dân "
    "cơ bản ổn định, tỷ lệ hộ nghèo giảm còn 3,2%.",
    "Quốc phòng, an ninh được giữ vững; trật tự, an toàn xã hội được bảo đảm, "
    "không để xảy ra tình huống bất ngờ.",
    "Công tác cải cách hành chính, chuyển đổi số được đẩy mạnh; 100% hồ sơ công việc "
    "ở cấp tỉnh được xử lý trên môi trường mạng.",
    "Tuy nhiên, vẫn còn một số hạn chế như: chất lượng tăng trưởng chưa cao, "
    "thu hút đầu tư vào khu công nghiệp chưa đạt kỳ vọng.",
    "Đề nghị các cấp ủy, tổ chức đảng tập trung lãnh đạo, chỉ đạo thực hiện quyết liệt, "
    "đồng bộ các nhiệm vụ, giải pháp đã đề ra.",
    "Tiếp tục nâng cao hiệu quả công tác kiểm tra, giám sát, kiên quyết xử lý nghiêm "
    "các trường hợp vi phạm theo quy định của Đảng và pháp luật của Nhà nước.",
    "Tăng cường công tác dân vận, nắm chắc tình hình tư tưởng của cán bộ, đảng viên "
    "và Nhân dân, giải quyết kịp thời những kiến nghị chính đáng của cử tri.",
    "Sở Tài chính chủ trì, phối hợp với các sở, ngành, địa phương rà soát, cân đối "
    "các nguồn lực để bảo đảm chi cho các nhiệm vụ cấp bách.",
    "Ủy ban nhân dân các huyện, thành phố chỉ đạo quyết liệt công tác thu ngân sách, "
    "chống thất thu, nợ đọng thuế.",
    "Triển khai có hiệu quả các chương trình mục tiêu quốc gia về xây dựng nông thôn mới, "
    "giảm nghèo bền vững và phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số.",
    "Đến nay đã có 112/128 xã đạt chuẩn nông thôn mới, trong đó 34 xã đạt chuẩn "
    "nông thôn mới nâng cao.",
    "Chất lượng giáo dục toàn diện có chuyển biến rõ nét; tỷ lệ học sinh tốt nghiệp "
    "trung học phổ thông đạt 98,7%.",
    "Hệ thống y tế cơ sở được củng cố; tỷ lệ người dân tham gia bảo hiểm y tế đạt 93,5%.",
    "Việc sắp xếp tổ chức bộ máy bảo đảm tinh gọn, hoạt động hiệu lực, hiệu quả, "
    "đúng lộ trình theo chỉ đạo của Trung ương.",
    "Kỷ luật, kỷ cương hành chính được siết chặt; tinh thần trách nhiệm của người đứng đầu "
    "trong thực thi công vụ được nâng lên.",
)

_VI_SECTIONS = (
    "ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
    "KẾT QUẢ ĐẠT ĐƯỢC TRÊN CÁC LĨNH VỰC",
    "HẠN CHẾ, KHÓ KHĂN VÀ NGUYÊN NHÂN",
    "MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM",
    "TỔ CHỨC THỰC HIỆN",
    "KIẾN NGHỊ, ĐỀ XUẤT",
)

_VI_SUBSECTIONS = (
    "Về phát triển kinh tế",
    "Về thu, chi ngân sách nhà nước",
    "Về đầu tư công và thu hút đầu tư",
    "Về văn hóa - xã hội",
    "Về quốc phòng, an ninh",
    "Về công tác xây dựng Đảng và hệ thống chính trị",
    "Về cải cách hành chính và chuyển đổi số",
    "Về công tác kiểm tra, giám sát",
)

_VI_INDICATORS = (
    ("Tốc độ tăng trưởng GRDP", "%", 8.0),
    ("GRDP bình quân đầu người", "triệu đồng", 78.5),
    ("Thu ngân sách trên địa bàn", "tỷ đồng", 13160.0),
    ("Tổng vốn đầu tư toàn xã hội", "tỷ đồng", 52400.0),
    ("Kim ngạch xuất khẩu", "triệu USD", 1850.0),
    ("Giá trị sản xuất nông nghiệp", "tỷ đồng", 24100.0),
    ("Số doanh nghiệp thành lập mới", "doanh nghiệp", 1450.0),
    ("Tỷ lệ hộ nghèo", "%", 3.0),
    ("Tỷ lệ tham gia bảo hiểm y tế", "%", 94.0),
    ("Số xã đạt chuẩn nông thôn mới", "xã", 115.0),
)

_EN_SENTENCES = (
    "The province's gross regional domestic product grew by an estimated 7.8 per cent "
    "year on year, above the national average.",
    "Agriculture remains the main source of livelihood for 58 per cent of households, "
    "and rice yields reached 6.15 tonnes per hectare.",
    "Public investment disbursement lags behind plan, mainly because of delays in "
    "land clearance and resettlement.",
    "The proposed project would rehabilitate 42 km of primary canals and build "
    "three salinity-control sluice gates in the lower river basin.",
    "Climate projections indicate more frequent droughts in the dry season and more "
    "intense flooding in the rainy season.",
    "The Provincial People's Committee has committed counterpart funding of "
    "15 per cent of the total project cost.",
    "Environmental and social safeguards will follow the lender's policies and "
    "Vietnamese law, including free, prior and informed consultation.",
    "A project management unit under the Department of Agriculture and Rural "
    "Development will be responsible for implementation.",
    "Women-headed households and ethnic minority communities will be prioritised "
    "in the livelihood component.",
    "Monitoring will rely on a results framework with annual targets agreed with "
    "development partners.",
    "The province is requesting that the project be included in the medium-term "
    "public investment plan for the next five years.",
    "Risks include cost overruns due to construction price inflation and limited "
    "capacity at the district level.",
)

_EN_SECTIONS = (
    "Background",
    "Key socio-economic indicators",
    "Project rationale",
    "Project description",
    "Financing plan",
    "Risks and mitigation",
    "Environmental and social safeguards",
    "Implementation arrangements",
    "Next steps",
)

_DISTRICTS = (
    "Thành phố Sông Lam",
    "Thị xã Hòa Bình",
    "Huyện Thanh Lương",
    "Huyện Yên Phú",
    "Huyện Đức Hòa",
    "Huyện Quỳnh Sơn",
    "Huyện Tân Kỳ",
    "Huyện Nghĩa Đàn",
    "Huyện Hưng Nguyên",
    "Huyện Con Cuông",
)

_COMMUNES = (
    "Xã Thanh Xuân",
    "Xã Hòa Lạc",
    "Xã Nghĩa Thịnh",
    "Phường Trung Đô",
    "Xã Đông Sơn",
    "Xã Quỳnh Lưu",
    "Xã Yên Hòa",
    "Thị trấn Tân Lạc",
    "Xã Phúc Thành",
    "Xã Diễn Hải",
)

_FIELDS = (
    ("Giao thông", "Sở Giao thông vận tải"),
    ("Đất đai", "Sở Tài nguyên và Môi trường"),
    ("Y tế", "Sở Y tế"),
    ("Giáo dục", "Sở Giáo dục và Đào tạo"),
    ("Chính sách xã hội", "Sở Lao động - Thương binh và Xã hội"),
    ("Nông nghiệp", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Môi trường", "Sở Tài nguyên và Môi trường"),
    ("Điện, nước sinh hoạt", "Công ty Điện lực tỉnh"),
)

_OPINIONS = (
    "Cử tri đề nghị sớm đầu tư nâng cấp tuyến đường liên xã đã xuống cấp nghiêm trọng, "
    "gây mất an toàn giao thông vào mùa mưa.",
    "Cử tri phản ánh việc cấp giấy chứng nhận quyền sử dụng đất cho các hộ dân còn chậm, "
    "đề nghị có giải pháp tháo gỡ.",
    "Đề nghị bổ sung biên chế bác sĩ cho trạm y tế xã, bảo đảm khám chữa bệnh ban đầu cho Nhân dân.",
    "Cử tri kiến nghị xây dựng thêm phòng học, khắc phục tình trạng thiếu phòng học tại "
    "các điểm trường lẻ.",
    "Đề nghị xem xét điều chỉnh mức hỗ trợ đối với người có công và đối tượng bảo trợ xã hội.",
    "Cử tri đề nghị hỗ trợ giống, vật tư cho nông dân bị thiệt hại do mưa lũ.",
    "Phản ánh tình trạng ô nhiễm môi trường từ cơ sở chế biến nông sản gần khu dân cư.",
    "Đề nghị sớm đầu tư hệ thống nước sạch cho các thôn vùng cao còn thiếu nước sinh hoạt.",
    "Cử tri đề nghị làm rõ tiến độ giải phóng mặt bằng dự án khu công nghiệp, bảo đảm quyền lợi "
    "của người dân bị thu hồi đất.",
    "Đề nghị tăng cường kiểm tra, xử lý tình trạng khai thác cát trái phép trên sông.",
)


def _vi_paragraph(rng: random.Random) -> str:
    return " ".join(rng.sample(_VI_SENTENCES, rng.randint(3, 5)))


def _en_paragraph(rng: random.Random) -> str:
    return " ".join(rng.sample(_EN_SENTENCES, rng.randint(3, 5)))


def roman(n: int) -> str:
    """Return ``n`` (1 or more) in Roman numerals, as Vietnamese documents number their parts."""
    out = ""
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= value:
            out += numeral
            n -= value
    return out


# --- page furniture ---------------------------------------------------------


def _vn_date(spec: DocumentSpec) -> str:
    d = spec.issued_on
    return f"{PROVINCE}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


_KIND_TITLES = {
    DocumentKind.AGENDA: "CHƯƠNG TRÌNH",
    DocumentKind.REGULATION: "QUY CHẾ",
    DocumentKind.REPORT: "BÁO CÁO",
    DocumentKind.PROPOSAL: "TỜ TRÌNH",
    DocumentKind.DRAFT_RESOLUTION: "NGHỊ QUYẾT",
    DocumentKind.RESOLUTION: "NGHỊ QUYẾT",
    DocumentKind.VOTER_DIGEST: "BÁO CÁO",
    DocumentKind.BALLOT: "PHIẾU BIỂU QUYẾT",
}


def _vi_header(w: _Writer) -> None:
    """Issuing body and number on the left, the national motto and date on the right."""
    spec = w.spec
    left_cx, right_cx = LEFT + 95, RIGHT - 125
    y = TOP + 8
    # "ỦY BAN NHÂN DÂN" / "TỈNH SÔNG LAM": the body above, its province below
    head, sep, tail = spec.issuer.partition(" TỈNH")
    issuer_lines = [head, f"TỈNH{tail}"] if sep and head else wrap(spec.issuer, "bold", 12, 200)
    for line in issuer_lines:
        w.centered(line, left_cx, y, "bold", 12)
        y += 15
    w.centered("*" if "TỈNH ỦY" in spec.issuer else "", left_cx, y + 2, "reg", 12)
    if "TỈNH ỦY" not in spec.issuer:
        w.line(left_cx - 30, y - 10, left_cx + 30, y - 10)
    if spec.number:
        w.centered(spec.number, left_cx, y + 18, "reg", 13)
    ry = TOP + 8
    w.centered(NATIONAL_NAME, right_cx, ry, "bold", 12)
    w.centered(NATIONAL_MOTTO, right_cx, ry + 16, "bold", 13)
    half = text_width(NATIONAL_MOTTO, "bold", 13) / 2
    w.line(right_cx - half, ry + 20, right_cx + half, ry + 20)
    w.centered(_vn_date(spec), right_cx, ry + 42, "ital", 13)
    if spec.kind is DocumentKind.DRAFT_RESOLUTION:
        label = "DỰ THẢO"
        width = text_width(label, "bold", 12) + 14
        rect = pymupdf.Rect(RIGHT - width, 30, RIGHT, 48)
        w.shape.draw_rect(rect)
        w.shape.finish(color=BLACK, width=0.8)
        w.text(rect.x0 + 7, rect.y1 - 5, label, "bold", 12)
    w.y = max(y + 30, ry + 58)
    title = _KIND_TITLES[spec.kind]
    w.y += 18
    w.centered(title, PAGE_W / 2 + 14, w.y, "bold", 14)
    w.toc.append([1, spec.title, 1, {"kind": pymupdf.LINK_GOTO}])
    w.y += 4
    for line in wrap(spec.subtitle, "bold", 13, TEXT_W - 40):
        w.y += 18
        w.centered(line, PAGE_W / 2 + 14, w.y, "bold", 13)
    w.line(PAGE_W / 2 - 40 + 14, w.y + 8, PAGE_W / 2 + 40 + 14, w.y + 8)
    w.y += 24


def _en_header(w: _Writer) -> None:
    spec = w.spec
    w.centered("SOCIALIST REPUBLIC OF VIET NAM", PAGE_W / 2, TOP + 8, "bold", 12)
    w.centered("Independence - Freedom - Happiness", PAGE_W / 2, TOP + 24, "ital", 12)
    w.centered(spec.issuer, PAGE_W / 2, TOP + 48, "bold", 11, GREY)
    w.y = TOP + 70
    w.toc.append([1, spec.title, 1, {"kind": pymupdf.LINK_GOTO}])
    for line in wrap(spec.title, "bold", 17, TEXT_W):
        w.y += 22
        w.text(LEFT, w.y, line, "bold", 17)
    w.y += 18
    w.text(LEFT, w.y, spec.subtitle, "ital", 12, GREY)
    w.y += 14
    prepared = f"Prepared by {spec.author}, {spec.issued_on.day} {spec.issued_on:%B %Y}"
    for i, line in enumerate(wrap(prepared, "reg", 10.5, TEXT_W)):
        w.y += 13 if i else 0
        w.text(LEFT, w.y, line, "reg", 10.5, GREY)
    w.line(LEFT, w.y + 8, RIGHT, w.y + 8, 1.2)
    w.y += 22


_SIGNERS = (
    ("TỈNH ỦY", "T/M BAN CHẤP HÀNH", "BÍ THƯ"),
    ("ỦY BAN KIỂM TRA", "T/M ỦY BAN KIỂM TRA", "CHỦ NHIỆM"),
    ("BAN DÂN VẬN", "T/M BAN DÂN VẬN", "TRƯỞNG BAN"),
    ("ỦY BAN NHÂN DÂN", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    ("HỘI ĐỒNG NHÂN DÂN", "", "CHỦ TỊCH"),
)

_CLOSING_HEIGHT = 150.0


def _vi_closing(w: _Writer) -> None:
    """Recipients on the left, the signature block on the right."""
    spec = w.spec
    on_behalf, office = "", "NGƯỜI KÝ"
    for marker, behalf, title in _SIGNERS:
        if spec.issuer.startswith(marker):
            on_behalf, office = behalf, title
            break
    y = w.y + 14
    w.text(LEFT, y + 14, "Nơi nhận:", "bold", 11)
    for i, line in enumerate(
        ("- Như trên;", "- Các đồng chí Ủy viên BCH Đảng bộ tỉnh;", "- Lưu: VT.")
    ):
        w.text(LEFT, y + 28 + 12 * i, line, "reg", 10)
    cx = RIGHT - 110
    if on_behalf:
        w.centered(on_behalf, cx, y + 14, "bold", 12)
    w.centered(office, cx, y + 30, "bold", 12)
    if spec.kind is DocumentKind.RESOLUTION:
        w.centered("(Đã ký)", cx, y + 62, "ital", 12)
    if spec.kind is not DocumentKind.DRAFT_RESOLUTION and spec.author:
        w.centered(spec.author, cx, y + 110, "bold", 13)
    w.y = y + 120


# --- bodies -----------------------------------------------------------------


def _vi_body(w: _Writer, rng: random.Random) -> None:
    """Sections, subsections, paragraphs and figures until the pages are full."""
    body = w.spec.issuer.split(" TỈNH")[0].capitalize()
    if w.spec.kind is DocumentKind.PROPOSAL:
        intro = (
            f"Căn cứ Luật Ngân sách nhà nước và các văn bản hướng dẫn thi hành, {body} tỉnh "
            "kính trình Ban Chấp hành Đảng bộ tỉnh xem xét, cho ý kiến về dự toán thu, chi "
            "ngân sách nhà nước với các nội dung chủ yếu như sau:"
        )
    else:
        intro = (
            f"Thực hiện Chương trình làm việc toàn khóa và Nghị quyết của Ban Chấp hành "
            f"Đảng bộ tỉnh, {body} tỉnh báo cáo như sau:"
        )
    w.paragraph(intro)
    for n in itertools.count():
        w.heading(f"{roman(n + 1)}. {_VI_SECTIONS[n % len(_VI_SECTIONS)]}", 1)
        for m in range(1, rng.randint(2, 4) + 1):
            w.heading(f"{m}. {rng.choice(_VI_SUBSECTIONS)}", 2)
            for _ in range(rng.randint(1, 3)):
                w.paragraph(_vi_paragraph(rng))
            if rng.random() < 0.35:
                _vi_figures(w, rng)


_ARTICLES = (
    "Mục tiêu tổng quát",
    "Các chỉ tiêu chủ yếu",
    "Nhiệm vụ, giải pháp trọng tâm",
    "Về phát triển kinh tế, thu hút đầu tư",
    "Về văn hóa - xã hội, bảo đảm an sinh xã hội",
    "Về quốc phòng, an ninh, đối ngoại",
    "Về xây dựng Đảng và hệ thống chính trị",
    "Tổ chức thực hiện",
    "Hiệu lực thi hành",
)


def _resolution_body(w: _Writer, rng: random.Random) -> None:
    """Grounds ("Căn cứ ..."), then "QUYẾT NGHỊ:" (or chapters for a regulation) and articles."""
    spec = w.spec
    for ground in (
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh nhiệm kỳ 2025 - 2030;",
        "Xét Tờ trình của Ủy ban nhân dân tỉnh và ý kiến thảo luận của các đại biểu,",
    ):
        w.paragraph(ground, "ital", after=0)
    w.space(8)
    if spec.kind is DocumentKind.REGULATION:
        w.paragraph(
            "Ban Chấp hành ban hành Quy chế làm việc; Nghị quyết, kết luận của Ban Chấp hành "
            "được thông qua khi có quá nửa tổng số ủy viên tán thành.",
        )
    else:
        w.paragraph("QUYẾT NGHỊ:", "bold", align="center", indent=0)
        w.paragraph(
            f"Ban Chấp hành Đảng bộ tỉnh ban hành Nghị quyết này {spec.subtitle[0].lower()}"
            f"{spec.subtitle[1:]}, với các nội dung sau:",
        )
    article = 0
    for chapter in itertools.count(1):
        if spec.kind is DocumentKind.REGULATION:
            w.heading(
                f"Chương {roman(chapter)}. {_VI_SECTIONS[(chapter - 1) % len(_VI_SECTIONS)]}", 1
            )
        for _ in range(rng.randint(2, 3)):
            article += 1
            name = _ARTICLES[(article - 1) % len(_ARTICLES)]
            w.heading(f"Điều {article}. {name}", 2 if spec.kind is DocumentKind.REGULATION else 1)
            for _ in range(rng.randint(1, 2)):
                w.paragraph(_vi_paragraph(rng))
            if name == "Các chỉ tiêu chủ yếu":
                _vi_figures(w, rng)


def _vi_figures(w: _Writer, rng: random.Random) -> None:
    columns = (
        _Column("TT", 28, "center"),
        _Column("Chỉ tiêu", 170),
        _Column("Đơn vị", 70, "center"),
        _Column("Kế hoạch", 62, "right"),
        _Column("Thực hiện", 62, "right"),
        _Column("% KH", 51, "right"),
    )
    rows = []
    for i, (name, unit, plan) in enumerate(rng.sample(_VI_INDICATORS, 5), 1):
        done = plan * rng.uniform(0.82, 1.08)
        rows.append(
            [str(i), name, unit, _vi_number(plan), _vi_number(done), _vi_number(done / plan * 100)]
        )
    w.paragraph("Một số chỉ tiêu chủ yếu:", "ital", indent=28, after=2)
    w.table(columns, rows)


def _vi_number(value: float) -> str:
    """Vietnamese number format: '.' groups thousands, ',' marks decimals."""
    text = f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _agenda_body(w: _Writer, rng: random.Random) -> None:
    spec = w.spec
    w.paragraph(
        "Thời gian: khai mạc lúc 07 giờ 30 phút. Địa điểm: Hội trường A, Trụ sở Tỉnh ủy.",
        "ital",
    )
    columns = (
        _Column("Thời gian", 80, "center"),
        _Column("Nội dung", 220),
        _Column("Thực hiện", 153),
    )
    w.table(columns, [list(item) for item in spec.items] or [["", spec.subtitle, ""]], size=11)
    w.paragraph(
        "Đề nghị các đồng chí dự hội nghị nghiên cứu kỹ tài liệu, chuẩn bị ý kiến tham gia "
        "và có mặt trước giờ khai mạc 15 phút.",
        "ital",
    )


def _ballot_body(w: _Writer, rng: random.Random) -> None:
    w.paragraph(
        "Họ và tên đại biểu: ............................................................", indent=0
    )
    w.paragraph(
        "Đồng chí đánh dấu (X) vào một trong ba ô tương ứng với ý kiến của mình đối với "
        "từng nội dung biểu quyết.",
        "ital",
    )
    columns = (
        _Column("TT", 28, "center"),
        _Column("Nội dung biểu quyết", 215),
        _Column("Tán thành", 70, "center"),
        _Column("Không tán thành", 70, "center"),
        _Column("Không biểu quyết", 70, "center"),
    )
    items = (
        "Thông qua Nghị quyết Hội nghị Ban Chấp hành Đảng bộ tỉnh",
        "Thông qua chủ trương về dự toán ngân sách nhà nước năm tới",
        "Thông qua kết quả công tác kiểm tra, giám sát",
        "Thông qua chương trình công tác toàn khóa",
    )
    w.table(columns, [[str(i), text, "", "", ""] for i, text in enumerate(items, 1)], size=11)
    w.paragraph("Phiếu hợp lệ là phiếu đánh dấu đúng một ô cho mỗi nội dung.", "ital")


def _voter_digest_body(w: _Writer, rng: random.Random) -> None:
    w.paragraph(
        "Thực hiện kế hoạch tiếp xúc cử tri trước kỳ họp, Ban Dân vận Tỉnh ủy tổng hợp "
        "ý kiến, kiến nghị của cử tri và Nhân dân các huyện, thành phố, thị xã như sau. "
        "Các ý kiến được sắp xếp theo địa phương và lĩnh vực, kèm cơ quan có trách nhiệm giải quyết.",
    )
    columns = (
        _Column("STT", 34, "center"),
        _Column("Địa phương", 86),
        _Column("Lĩnh vực", 70),
        _Column("Nội dung ý kiến, kiến nghị", 168),
        _Column("Cơ quan giải quyết", 95),
    )
    per_district = max(20, w.pages * 15 // len(_DISTRICTS))
    count = 0
    part = 0
    while True:  # until the pages are full (_Full)
        district = _DISTRICTS[part % len(_DISTRICTS)]
        title = f"{roman(part + 1)}. {district.upper()}"
        if part >= len(_DISTRICTS):
            title = f"PHỤ LỤC {part - len(_DISTRICTS) + 1}: {district.upper()} (BỔ SUNG)"
        w.heading(title, 1)
        rows = []
        for _ in range(per_district):
            count += 1
            field_name, office = rng.choice(_FIELDS)
            rows.append(
                [str(count), rng.choice(_COMMUNES), field_name, rng.choice(_OPINIONS), office]
            )
        w.table(columns, rows, size=9.5)
        part += 1


def _en_body(w: _Writer, rng: random.Random) -> None:
    for n, title in enumerate(itertools.cycle(_EN_SECTIONS), 1):
        w.heading(f"{n}. {title}", 1, size=13, indent=0)
        for _ in range(rng.randint(2, 3)):
            w.paragraph(_en_paragraph(rng), indent=0, size=11.5, leading=1.4)
        if title in ("Key socio-economic indicators", "Financing plan"):
            _en_table(w, rng, title)


def _en_table(w: _Writer, rng: random.Random, title: str) -> None:
    if title == "Financing plan":
        columns = (
            _Column("Source", 190),
            _Column("USD million", 90, "right"),
            _Column("VND billion", 90, "right"),
            _Column("Share", 83, "right"),
        )
        total = rng.uniform(80, 140)
        shares = (0.7, 0.15, 0.15)
        names = ("Loan from development partner", "Grant (climate fund)", "Provincial counterpart")
        rows = [
            [name, f"{total * s:,.1f}", f"{total * s * 25.4:,.0f}", f"{s:.0%}"]
            for name, s in zip(names, shares, strict=True)
        ]
        rows.append(["Total", f"{total:,.1f}", f"{total * 25.4:,.0f}", "100%"])
    else:
        columns = (
            _Column("Indicator", 200),
            _Column("Unit", 90),
            _Column("Last year", 80, "right"),
            _Column("This year (est.)", 83, "right"),
        )
        rows = [
            ["GRDP growth", "%", "7.1", "7.8"],
            [
                "GRDP per capita",
                "USD",
                f"{rng.randint(2900, 3100):,}",
                f"{rng.randint(3150, 3400):,}",
            ],
            ["State budget revenue", "VND billion", "11,870", "12,450"],
            ["Exports", "USD million", "1,640", "1,850"],
            ["Poverty rate", "%", "4.1", "3.2"],
        ]
    w.table(columns, rows, size=10)


def render_document(spec: DocumentSpec) -> bytes:
    """Return the PDF bytes of ``spec``: exactly ``spec.pages`` pages, fonts embedded."""
    rng = random.Random(spec.seed)  # noqa: S311  demo text, not security
    english = spec.language == "en"
    closing = (
        0.0
        if english or spec.kind in (DocumentKind.AGENDA, DocumentKind.BALLOT)
        else _CLOSING_HEIGHT
    )
    w = _Writer(spec, reserve=closing)
    (_en_header if english else _vi_header)(w)
    body = {
        DocumentKind.RESOLUTION: _resolution_body,
        DocumentKind.DRAFT_RESOLUTION: _resolution_body,
        DocumentKind.REGULATION: _resolution_body,
        DocumentKind.AGENDA: _agenda_body,
        DocumentKind.BALLOT: _ballot_body,
        DocumentKind.VOTER_DIGEST: _voter_digest_body,
        DocumentKind.BRIEFING_EN: _en_body,
        DocumentKind.MINUTES_EN: _en_body,
    }.get(spec.kind, _vi_body)
    with contextlib.suppress(_Full):  # the pages are full: stop the body there
        body(w, rng)
    if closing:
        w.reserve = 0.0
        _vi_closing(w)
    return w.finish()


def iter_rendered(specs: Sequence[DocumentSpec]) -> Iterator[tuple[DocumentSpec, bytes]]:
    """Render each spec in turn (for loaders that store documents one by one)."""
    for spec in specs:
        yield spec, render_document(spec)
