"""The one way Linkwell prints HTML to PDF: headless Chromium through Playwright, no downloads.
The evaluation report and a person's "My plan" are printed with it."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-extensions", "--disable-sync", "--no-first-run"]


def write_pdf(html_path: Path, pdf_path: Path) -> None:
    """Print a self-contained HTML document to an A4 PDF."""
    # Playwright's sync API refuses a thread that already runs an event loop (a web request,
    # or another Playwright session), so each print runs in a short-lived thread of its own.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_write_pdf, html_path, pdf_path).result()


def _write_pdf(html_path: Path, pdf_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            page.evaluate("document.querySelectorAll('details:not(.lw-breakdowns)')"
                          ".forEach(d => d.open = true)")
            # Scaled so the page lays out 880 CSS px wide: tables are printed as tables, not
            # the phone layout's cards, and charts sit beside their tables.
            page.pdf(path=str(pdf_path), format="A4", print_background=True, scale=0.8,
                     margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})
        finally:
            browser.close()
