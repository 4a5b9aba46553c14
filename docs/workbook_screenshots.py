"""Render two sheets of the NGSS example's workbook as the PNGs the README shows.

Needs LibreOffice (`soffice`) and poppler (`pdftoppm`):
    python docs/workbook_screenshots.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.page import PageMargins

from govcheck.workbook.write import write
from govcheck.yamlsource import load

ROOT = Path(__file__).resolve().parent.parent
SHEETS = {"Costs": "A1:C9", "Parties": "A1:G9"}


def main() -> None:
    content = write(load(ROOT / "examples" / "ngss.yaml").data).content
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for sheet, area in SHEETS.items():
            path = work / f"{sheet}.xlsx"
            path.write_bytes(content)
            book = load_workbook(path)
            for name in [n for n in book.sheetnames if n != sheet]:
                del book[name]
            ws = book[sheet]
            ws.print_options.gridLines = ws.print_options.headings = True
            ws.page_setup.orientation = "landscape"
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
            ws.page_margins = PageMargins(left=0.2, right=0.2, top=0.2, bottom=0.2)
            ws.print_area = area
            book.save(path)
            profile = f"-env:UserInstallation=file://{work}/profile"
            command = [
                "soffice",
                "--headless",
                "--norestore",
                profile,
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
            ]
            subprocess.run([*command, "--outdir", tmp, path], check=True, capture_output=True)
            out = ROOT / "docs" / f"workbook-{sheet.lower()}"
            subprocess.run(
                ["pdftoppm", "-png", "-r", "100", "-singlefile", "-x", "0", "-y", "0",
                 "-W", "1100", "-H", "275", work / f"{sheet}.pdf", out],
                check=True,
            )  # fmt: skip
            print(f"wrote {out}.png", file=sys.stderr)


if __name__ == "__main__":
    main()
