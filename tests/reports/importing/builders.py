"""Small documents built by the tests themselves (DOCX via python-docx, HTML strings)."""

from __future__ import annotations

from pathlib import Path

import docx

T3_LABELS = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（一）予以公开",
    "（七）总计",
    "四、结转下年度继续办理",
)
ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def docx_report(
    path: Path,
    *,
    t3_columns: tuple[str, ...] = ("自然人", *ORGS, "总计"),
    t3_values: dict[str, list[str]] | None = None,
    t2_2019: bool = False,
) -> Path:
    """A small report: title, headings, table 二, a table 三 with merged two-level header."""
    document = docx.Document()
    document.add_paragraph("测试县卫生健康局")
    document.add_paragraph("2024年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度我局认真贯彻《条例》。")
    document.add_paragraph("二、主动公开政府信息情况")
    if t2_2019:
        t2 = document.add_table(rows=3, cols=4)
        t2.cell(0, 0).merge(t2.cell(0, 3)).text = "第二十条第（一）项"
        for j, text in enumerate(
            ("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量")
        ):
            t2.cell(1, j).text = text
        for j, text in enumerate(("规章", "1", "2", "30")):
            t2.cell(2, j).text = text
    else:
        t2 = document.add_table(rows=5, cols=4)
        t2.cell(0, 0).merge(t2.cell(0, 3)).text = "第二十条第（一）项"
        for j, text in enumerate(
            ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
        ):
            t2.cell(1, j).text = text
        for j, text in enumerate(("规章", "1", "", "4")):
            t2.cell(2, j).text = text
        t2.cell(3, 0).text = "信息内容"
        t2.cell(3, 1).merge(t2.cell(3, 3)).text = "本年处理决定数量"
        t2.cell(4, 0).text = "行政许可"
        t2.cell(4, 1).merge(t2.cell(4, 3)).text = "550"
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    values = t3_values or {}
    t3 = document.add_table(rows=3 + len(T3_LABELS), cols=2 + len(t3_columns))
    t3.cell(0, 0).merge(
        t3.cell(2, 1)
    ).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t3.cell(0, 2).merge(t3.cell(0, 1 + len(t3_columns))).text = "申请人情况"
    org_cols = [j for j, c in enumerate(t3_columns) if c in ORGS]
    first, last = 2 + min(org_cols), 2 + max(org_cols)
    t3.cell(1, first).merge(t3.cell(1, last)).text = "法人或其他组织"
    for j, name in enumerate(t3_columns):
        if name in ORGS:
            t3.cell(2, 2 + j).text = name
        else:
            t3.cell(1, 2 + j).merge(t3.cell(2, 2 + j)).text = name
    group = t3.cell(5, 0).merge(t3.cell(6, 0))
    group.text = "三、本年度办理结果"
    for i, label in enumerate(T3_LABELS):
        r = 3 + i
        if label.startswith("（"):
            t3.cell(r, 1).text = label
        else:
            t3.cell(r, 0).merge(t3.cell(r, 1)).text = label
        for j, text in enumerate(values.get(label, [""] * len(t3_columns))):
            t3.cell(r, 2 + j).text = text
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("信息公开的深度有待提升。")
    document.add_paragraph("六、其他需要报告的事项")
    document.add_paragraph("本机关未收取信息处理费。")
    document.save(path)
    return path


def minimal_pdf(objects: list[bytes], trailer: bytes) -> bytes:
    """A PDF with a correct cross-reference table around the given objects."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf() -> bytes:
    """Standard security handler (RC4, R2) whose /U does not match the empty password."""
    return minimal_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <"
            + b"11" * 32
            + b"> /U <"
            + b"22" * 32
            + b"> >>",
        ],
        b"<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<"
        + b"ab" * 16
        + b"> <"
        + b"ab" * 16
        + b">] >>",
    )
