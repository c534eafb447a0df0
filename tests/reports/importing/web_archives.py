"""Saved web pages (.mht/.mhtml) made the two ways staff make them.

`chromium_snapshot` asks headless Chromium for the page as "Save as… single file" writes it
(the DevTools protocol's Page.captureSnapshot, through Playwright and Debian's chromium):
the page keeps its own encoding and gets a `<meta http-equiv>` naming it, quoted-printable,
no charset in the MIME header. `ie_archive` builds what IE and Word ("Web archive") write
with the standard library's `email` package: the page quoted-printable or base64, its
charset in the MIME header or only in its `<meta>`, with an image and a style sheet.
"""

from __future__ import annotations

import base64
import shutil
from email import encoders, policy
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# A 1x1 PNG: the image part every saved page carries.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def chromium_available() -> bool:
    if not CHROMIUM.is_file() and shutil.which("chromium") is None:
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def chromium_snapshot(pages: dict[str, bytes], folder: Path) -> dict[str, bytes]:
    """Each page (name -> HTML bytes) opened from disk and saved by Chromium as MHTML."""
    from playwright.sync_api import sync_playwright

    executable = str(CHROMIUM) if CHROMIUM.is_file() else shutil.which("chromium")
    saved: dict[str, bytes] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            session = page.context.new_cdp_session(page)
            for name, html in pages.items():
                source = folder / f"{name}.html"
                source.write_bytes(html)
                page.goto(source.as_uri())
                snapshot = session.send("Page.captureSnapshot", {"format": "mhtml"})
                saved[name] = snapshot["data"].encode("utf-8")
        finally:
            browser.close()
    return saved


def ie_archive(
    html: bytes,
    *,
    transfer: str = "quoted-printable",
    charset: str | None = None,
    start: bool = False,
    location: bool = False,
) -> bytes:
    """A web archive as IE and Word write it, around the page `html`.

    `charset` goes in the page part's MIME header (else only the page's <meta> names it);
    `start` puts a frame page first and names the report page by the `start` parameter;
    `location` does the same through the archive's Content-Location.
    """
    archive = MIMEMultipart("related", type="text/html")
    archive["From"] = "<Saved by Windows Internet Explorer 8>"
    archive["Subject"] = Header("政府信息公开工作年度报告", "gb2312")
    archive["Date"] = "Mon, 20 Jan 2025 09:30:00 +0800"
    page = _part("text", "html", html, transfer, charset)
    page["Content-Location"] = "http://www.example.gov.cn/xxgk/ndbg/2024.html"
    if start or location:
        frame = _part("text", "html", b"<html><body>ad</body></html>", transfer, None)
        frame["Content-Location"] = "http://www.example.gov.cn/ad.html"
        archive.attach(frame)
    if start:
        page["Content-ID"] = "<report-page@example>"
        archive.set_param("start", "<report-page@example>")
    if location:
        archive["Content-Location"] = "http://www.example.gov.cn/xxgk/ndbg/2024.html"
    archive.attach(page)
    style = _part("text", "css", b"td{border:1px solid #000}", transfer, None)
    style["Content-Location"] = "http://www.example.gov.cn/style.css"
    archive.attach(style)
    image = _part("image", "png", PIXEL, "base64", None)
    image["Content-Location"] = "http://www.example.gov.cn/logo.png"
    archive.attach(image)
    return archive.as_bytes(policy=policy.compat32.clone(linesep="\r\n"))


def _part(
    main: str, sub: str, data: bytes, transfer: str, charset: str | None
) -> MIMEBase:
    part = MIMEBase(main, sub)
    if charset:
        part.set_param("charset", charset)
    part.set_payload(data)
    if transfer == "base64":
        encoders.encode_base64(part)
    else:
        encoders.encode_quopri(part)
    return part
