"""Rendering a credit report: HTML with the Chinese text, PDF with WenQuanYi Micro Hei embedded as a
subset holding the rare characters of a name, and the QR code pointing at the verification route."""
from __future__ import annotations

import base64
import re
import zlib
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from functions.enterprises.facts import Fact
from functions.finance.reports import render
from functions.finance.reports.compose import CreditItemRecord, compose, item_id, sha256_of

RARE = "镕喆堃"
REPORT_NO = "CR-20261120-ABCDEFGHJK"


def _report() -> dict:
    data = {"name": f"青岛{RARE}科技有限公司", "legal_representative": "郑镕喆", "status": "存续",
            "registered_capital_fen": 500_000_000, "founded_on": "2016-05-18"}
    return compose(report_no=REPORT_NO, generated_at=datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc),
                   uscc="91370202MA3C4R7K75", district={"code": "370202", "name_zh": "市南区", "name_en": "Shinan"},
                   fields={"name": Fact(f"青岛{RARE}科技有限公司", "imported", date(2026, 6, 30))},
                   items=[CreditItemRecord("registration", item_id("registration", data), "国家企业信用信息公示系统",
                                           date(2026, 6, 30), data)],
                   policy_funds=[], financing=[])


REPORT = _report()
SHA = sha256_of(REPORT)
needs_font = pytest.mark.skipif(not any(p.is_file() for p in render.FONT_CANDIDATES),
                                reason="fonts-wqy-microhei is not installed (make system-deps)")


def pdf_objects(data: bytes) -> dict[int, bytes]:
    """Each indirect object's text (dictionary and decompressed stream) by number."""
    found = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        body = match.group(2)
        start = re.search(rb"stream\r?\n", body)
        length = re.search(rb"/Length (\d+)", body)
        if start and length and b"/FlateDecode" in body[:start.start()]:
            raw = body[start.end():start.end() + int(length.group(1))]
            if b"/ASCII85Decode" in body[:start.start()]:
                raw = base64.a85decode(raw.strip(), adobe=raw.strip().endswith(b"~>"))
            body = body[:start.start()] + zlib.decompress(raw)
        found[int(match.group(1))] = body
    return found


def test_html_has_the_chinese_text_the_number_the_hash_and_an_svg_qr_code():
    page = render.html(REPORT, SHA, "https://qd.example.cn")
    assert "企业信用报告" in page and f"青岛{RARE}科技有限公司" in page and "郑镕喆" in page
    assert REPORT_NO in page and SHA in page and "2026-11-20T10:00:00+08:00" in page
    assert "<svg" in page and "https://qd.example.cn/api/credit-reports/CR-20261120-ABCDEFGHJK/verify" in page
    assert "平台未收到该类数据" in page  # kinds never imported say so


def test_html_escapes_what_it_prints():
    hostile = {**REPORT, "subject": {**REPORT["subject"], "name": "<script>alert(1)</script>"}}
    page = render.html(hostile, SHA)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_the_qr_code_points_to_the_verification_route():
    assert render.verify_url(REPORT_NO, "https://qd.example.cn/") == \
        "https://qd.example.cn/api/credit-reports/CR-20261120-ABCDEFGHJK/verify"
    url = render.verify_url(REPORT_NO, "https://qd.example.cn/", SHA)
    assert url == f"https://qd.example.cn/api/credit-reports/CR-20261120-ABCDEFGHJK/verify?sha256={SHA}"
    qr = render.qr(REPORT_NO, "https://qd.example.cn", SHA)
    # segno keeps no payload: the same text gives the same matrix, another text another one.
    import segno

    assert qr.matrix == segno.make(url, error="m", micro=False).matrix
    assert qr.matrix != segno.make(url + "x", error="m", micro=False).matrix
    try:  # decode it where a decoder is installed
        from pyzbar.pyzbar import decode  # type: ignore
        from PIL import Image
        import io

        decoded = decode(Image.open(io.BytesIO(render.qr_png(REPORT_NO, "https://qd.example.cn", SHA))))
        assert decoded[0].data.decode() == url
    except ImportError:
        pass
    assert render.qr_png(REPORT_NO).startswith(b"\x89PNG")


@needs_font
def test_the_pdf_embeds_a_subset_of_wenquanyi_micro_hei_with_the_rare_characters():
    data = render.pdf(REPORT, SHA, "https://qd.example.cn")
    assert data.startswith(b"%PDF-")
    objects = pdf_objects(data)
    fonts = [body for body in objects.values() if b"/Type /Font" in body and b"/BaseFont" in body]
    cjk = [body for body in fonts if b"WenQuanYiMicroHei" in body]
    assert cjk and cjk == fonts, fonts  # every font of the document is the embedded one: none left to the reader
    for body in cjk:  # a subset (TAG+Name), TrueType
        assert re.search(rb"/BaseFont /[A-Z]{6}\+WenQuanYiMicroHei", body), body
    descriptors = [body for body in objects.values() if b"/Type /FontDescriptor" in body and b"WenQuanYiMicroHei" in body]
    assert descriptors and all(b"/FontFile2" in body for body in descriptors)  # embedded, not a reference
    embedded = [int(n) for body in descriptors for n in re.findall(rb"/FontFile2 (\d+) 0 R", body)]
    assert embedded and all(len(objects[n]) > 1000 for n in embedded)  # the font program itself
    assert b"STSong-Light" not in data  # no reference-only CID font
    # The rare characters are in the embedded subsets: their ToUnicode maps name them, and the font has their glyphs.
    to_unicode = b"".join(body for body in objects.values() if b"beginbfchar" in body or b"beginbfrange" in body)
    for char in RARE:
        assert f"<{ord(char):04X}>".encode() in to_unicode.upper(), char
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getFont(render.FONT_NAME).face
    assert all(face.charToGlyph.get(ord(char), 0) != 0 for char in RARE)  # real glyphs, not .notdef


@needs_font
def test_the_pdf_prints_number_time_and_hash_and_carries_the_qr_image():
    data = render.pdf(REPORT, SHA)
    assert b"/Subtype /Image" in data
    assert f"SHA-256 {SHA}".encode() in data  # in the document's metadata too
    # The printed text is in the subset's own codes; its ToUnicode maps carry every character printed.
    to_unicode = b"".join(body for body in pdf_objects(data).values() if b"beginbfchar" in body).upper()
    for char in set(REPORT_NO + SHA.upper()):
        assert f"<{ord(char):04X}>".encode() in to_unicode, char


def test_no_font_means_503(monkeypatch, tmp_path):
    monkeypatch.setattr(render, "FONT_CANDIDATES", (tmp_path / "none.ttc",))
    monkeypatch.delenv("CREDIT_REPORT_FONT", raising=False)
    from functions.shared.errors import Unavailable

    with pytest.raises(Unavailable):
        render.font_path()
    monkeypatch.setenv("CREDIT_REPORT_FONT", str(Path(__file__)))
    assert render.font_path() == Path(__file__)
