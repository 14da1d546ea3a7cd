"""A composed report as HTML (Jinja2, templates/report.html), as PDF (reportlab) and its QR code (segno).

The PDF is an approval document, so it carries its own font: WenQuanYi Micro Hei (Debian's
fonts-wqy-microhei, Apache-2.0), embedded as a TrueType subset (FontFile2) holding exactly the glyphs
the report uses, rare name characters (镕喆堃) included. reportlab's built-in STSong-Light would
only name a font the reader must have, and reportlab refuses CFF OpenType fonts such as Noto CJK.
Where the font file is: `CREDIT_REPORT_FONT` if set; in Lambda the dependency layer's
/opt/fonts/wqy-microhei.ttc (infra/layer.py ships it); on a developer's machine Debian's own file.
The font is not in git.

The QR code points to the public verification route; segno draws it as SVG for the HTML and as PNG for
the PDF, with no other dependency. The number, the generation time and the SHA-256 are printed beside it.
"""
from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from typing import Any, Mapping

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from functions.finance.reports.compose import DAY, FEN, KINDS, SOURCE_WORDS, UTILITIES
from functions.shared.errors import Unavailable

TEMPLATES = Path(__file__).with_name("templates")
FONT_NAME = "WenQuanYiMicroHei"
FONT_FILE = "wqy-microhei.ttc"
FONT_CANDIDATES = (
    Path("/opt/fonts") / FONT_FILE,  # Lambda: the dependency layer
    Path("/usr/share/fonts/truetype/wqy") / FONT_FILE,  # Debian: fonts-wqy-microhei
)
VERIFY_PATH = "/api/credit-reports/{report_no}/verify"
_env: Environment | None = None
_font_lock = threading.Lock()
_font_registered = False


# -- words ---------------------------------------------------------------------------------------
def yuan(fen: Any) -> str:
    if not isinstance(fen, int):
        return "—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d} 元"


def source_words(source: str) -> str:
    return SOURCE_WORDS.get(source, (source, source))[0]


def field_value(kind: str, name: str, value: Any) -> str:
    if value is None:
        return "—"
    field = next((f for f in KINDS[kind].fields if f.name == name), None) if kind in KINDS else None
    if field is not None and field.type == FEN:
        return yuan(value)
    if kind == "utility" and name == "utility":
        return UTILITIES.get(value, (value,))[0]
    return str(value)


def profile_value(entry: Mapping[str, Any]) -> str:
    value, unit = entry["value"], entry.get("unit")
    if value is None:
        return "—"
    if unit == "fen":
        return yuan(value)
    if isinstance(value, list):
        return "、".join(value) if value else "无"
    words = {"persons": " 人", "years": " 年"}
    return f"{value}{words.get(unit, '')}"


def data_rows(section: Mapping[str, Any]) -> list[list[tuple[str, str]]]:
    """Each entry of an imported section as (label, value) pairs, in the kind's field order."""
    kind = KINDS[section["key"]]
    rows = []
    for entry in section["entries"]:
        rows.append([(f.zh, field_value(kind.code, f.name, entry["data"].get(f.name)))
                     for f in kind.fields if f.name in entry["data"]])
    return rows


# -- QR ------------------------------------------------------------------------------------------
def verify_url(report_no: str, base: str = "", sha256: str | None = None) -> str:
    """Where the QR code points: the public verification route (absolute when the site is known), with
    the report's hash, so that scanning checks the number and the content at once. A browser asking it
    is sent on to the verification page (routes.py); a program gets JSON."""
    url = base.rstrip("/") + VERIFY_PATH.format(report_no=report_no)
    return f"{url}?sha256={sha256}" if sha256 else url


def qr(report_no: str, base: str = "", sha256: str | None = None) -> segno.QRCode:
    return segno.make(verify_url(report_no, base, sha256), error="m", micro=False)


def qr_svg(report_no: str, base: str = "", sha256: str | None = None) -> str:
    return qr(report_no, base, sha256).svg_inline(scale=3, title="report verification link")


def qr_png(report_no: str, base: str = "", sha256: str | None = None) -> bytes:
    buffer = io.BytesIO()
    qr(report_no, base, sha256).save(buffer, kind="png", scale=4, border=2)
    return buffer.getvalue()


# -- HTML ----------------------------------------------------------------------------------------
def _environment() -> Environment:
    global _env
    if _env is None:
        env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True)
        env.filters.update(yuan=yuan, source_words=source_words, profile_value=profile_value)
        env.globals.update(data_rows=data_rows)
        _env = env
    return _env


def html(report: Mapping[str, Any], sha256: str, base: str = "") -> str:
    return _environment().get_template("report.html").render(
        report=report, sha256=sha256, verify_url=verify_url(report["report_no"], base, sha256),
        qr_svg=Markup(qr_svg(report["report_no"], base, sha256)))


# -- PDF -----------------------------------------------------------------------------------------
def font_path() -> Path:
    configured = os.environ.get("CREDIT_REPORT_FONT")
    for candidate in ((Path(configured),) if configured else ()) + FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise Unavailable("The credit report's font (WenQuanYi Micro Hei) is not installed; the PDF cannot be made.")


def _register_font() -> None:
    global _font_registered
    with _font_lock:
        if _font_registered:
            return
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
        _font_registered = True


def pdf(report: Mapping[str, Any], sha256: str, base: str = "") -> bytes:
    """The report as PDF, the font embedded as a subset. reportlab is imported here, on first use."""
    _register_font()
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=10, textColor=colors.HexColor("#555555"))
    title = ParagraphStyle("title", parent=body, fontSize=18, leading=24, alignment=1)
    heading = ParagraphStyle("heading", parent=body, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    grid = TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb")),
                       ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f4f7"))])
    subject = report["subject"]
    story: list[Any] = [p("企业信用报告", title), p("Enterprise credit report · 青岛市企业服务平台 · 青融通", small),
                        Spacer(1, 6 * mm)]
    link = verify_url(report["report_no"], base, sha256)

    class LinkedImage(Image):
        """The QR code, clickable on screen: a /URI annotation over the image, to where the code points."""

        def draw(self) -> None:
            super().draw()
            self.canv.linkURL(link, (0, 0, self.drawWidth, self.drawHeight), relative=1)

    head = Table([[p("报告编号"), p(report["report_no"]), LinkedImage(io.BytesIO(qr_png(report["report_no"], base, sha256)),
                                                                       width=30 * mm, height=30 * mm)],
                  [p("生成时间"), p(report["generated_at"]), ""],
                  [p("企业名称"), p(subject.get("name") or "—"), ""],
                  [p("统一社会信用代码"), p(subject["uscc"]), ""],
                  [p("SHA-256"), p(sha256, small), ""]],
                 colWidths=[32 * mm, 108 * mm, 34 * mm])
    head.setStyle(TableStyle([*grid.getCommands(), ("SPAN", (2, 0), (2, -1)), ("ALIGN", (2, 0), (2, -1), "CENTER")]))
    # The address printed under the code is a link too: a reader on screen clicks where one on paper
    # scans; both reach the same verification.
    story += [head, Paragraph(f'扫码或访问 <link href="{escape(link)}" color="#1a56db">{escape(link)}</link> '
                              "核验本报告是否由平台出具、出具时间及内容是否一致。", small)]
    for section in report["sections"]:
        where = "、".join(source_words(s) for s in section["sources"]) or "—"
        story.append(p(f"{section['title_zh']}  {section['title_en']}", heading))
        story.append(p(f"来源：{where}　数据截至：{section['as_of'] or '—'}", small))
        if not section["entries"]:
            story.append(p("平台未收到该类数据。" if section["origin"] == "public_credit_data" else "无记录。"))
            continue
        if section["key"] == "profile":
            rows = [[p(e["label_zh"]), p(profile_value(e)), p(f"{source_words(e['source'])} {e['as_of']}", small)]
                    for e in section["entries"]]
            widths = [40 * mm, 84 * mm, 50 * mm]
        elif section["origin"] == "public_credit_data":
            rows = []
            for entry, pairs in zip(section["entries"], data_rows(section)):
                text = "；".join(f"{label}：{value}" for label, value in pairs)
                rows.append([p(text), p(f"{entry['source']} {entry['as_of']}", small)])
            widths = [124 * mm, 50 * mm]
        elif section["key"] == "policy_funds":
            rows = [[p(e["project_title"]), p(yuan(e["paid_fen"])), p(f"{e['source']} {e['as_of']}", small)]
                    for e in section["entries"]]
            widths = [94 * mm, 30 * mm, 50 * mm]
        else:
            rows = [[p("；".join(f"{k}：{v}" for k, v in e.items() if k not in ("source", "as_of"))),
                     p(f"{e['source']} {e['as_of']}", small)] for e in section["entries"]]
            widths = [124 * mm, 50 * mm]
        table = Table(rows, colWidths=widths)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#bbbbbb"))]))
        story.append(table)
    story += [Spacer(1, 6 * mm), p("本报告由平台根据企业档案、政府部门导入的公共信用信息及平台自有记录实时生成；"
                                   "各项数据以其来源及数据截至日期为准。报告内容的 SHA-256 为其规范化 JSON 的摘要。", small)]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"企业信用报告 {report['report_no']}",
                            author="青岛市企业服务平台", subject=f"SHA-256 {sha256}", creator="青融通",
                            initialFontName=FONT_NAME)  # else the canvas lists a reference-only Helvetica
    doc.build(story)
    return buffer.getvalue()
