"""Statement PDFs rendered with fpdf2: a real document a PDF reader (or pypdf) can open.

The output is byte-for-byte reproducible: the creation date comes from the virtual clock and
fpdf2 derives the file identifier from the content.
"""
from __future__ import annotations

from datetime import datetime, timezone


from .generation import day_date, effect
from .ledger import Period
from .model import Account


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def _latin1(text: str) -> str:
    """The core fonts are Latin-1 only; anything else becomes '?' instead of crashing."""
    return text.encode("latin-1", "replace").decode("latin-1")


def render_statement(institution: str, account: Account, period: Period, created_at: float) -> bytes:
    from fpdf import FPDF  # imported on first use: it adds ~150 ms to server start-up

    pdf = FPDF(format="Letter")
    pdf.set_creation_date(datetime.fromtimestamp(int(created_at), tz=timezone.utc))
    pdf.set_title(_latin1(f"{institution} statement: {account.name}"))
    pdf.set_author(_latin1(institution))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    start, end = day_date(period.first_day).isoformat(), day_date(period.last_day).isoformat()
    last_four = (account.account_number or "")[-4:]

    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _latin1(institution), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for line in (
        f"Account: {account.name}",
        f"Account number: ****{last_four}",
        f"Account type: {account.type}",
        f"Statement period: {start} to {end}",
        f"Opening balance: {_money(period.opening)}",
        f"Closing balance: {_money(period.closing)}",
    ):
        pdf.cell(0, 7, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("Helvetica", "B", 10)
    widths = (28, 112, 40)
    for width, title in zip(widths, ("Date", "Description", "Amount")):
        pdf.cell(width, 7, title, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for txn in sorted(period.transactions, key=lambda t: (t.transacted_at, t.guid)):
        pdf.cell(widths[0], 6, day_date(txn.day).isoformat())
        pdf.cell(widths[1], 6, _latin1(txn.description)[:60])
        pdf.cell(widths[2], 6, _money(effect(account, txn)), align="R")
        pdf.ln()
    if not period.transactions:
        pdf.cell(0, 6, "No transactions this period.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
