"""Reminders: the letter and the template hold exactly the agency's missing rows; e-mail only when configured."""

from __future__ import annotations

import io
import socket
from datetime import date, datetime
from email import message_from_bytes

import duckdb
import openpyxl
import pytest
from docx import Document

from loaders import reminders, reporting
from loaders.__main__ import main
from loaders.excel.contract import SHEET_DATA, SHEET_TASKS
from loaders.excel.template import build_template
from loaders.reminder_mail import send, smtp_settings
from loaders.upload_commit import commit
from loaders.upload_preview import validate_and_preview
from tests.unit import bad_files

PERIOD = "2026-Q3"
TODAY = date(2026, 9, 30)


@pytest.fixture
def db_path(tmp_path):
    return bad_files.catalog_db(tmp_path / "nq57.duckdb")


def _ids(xlsx: bytes, sheet: str) -> set[str]:
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))[sheet]
    return {ws.cell(r, 1).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}


def test_letter_and_template_hold_only_the_missing_rows(db_path):
    con = duckdb.connect(str(db_path))
    owed = reporting.obligations(con, PERIOD)
    khcn = owed[owed["agency_id"].eq("so_khcn") & owed["item_kind"].eq("indicator")]["item_id"].tolist()
    sent = khcn[0]
    xlsx = bad_files.fill(bad_files.template(con, PERIOD), {sent: 50})
    commit(
        con,
        validate_and_preview(con, xlsx, "mau.xlsx", today=TODAY, with_status=False),
        "thu.ky",
        now=datetime(2026, 9, 15, 8),
    )
    letters = {r.agency_id: r for r in reminders.reminders(con, PERIOD, TODAY)}
    mine = letters["so_khcn"]
    ids = {i for _, i, _ in mine.items}
    assert sent not in ids and set(khcn[1:]) <= ids
    assert set(letters) == set(owed["agency_id"])  # every agency still owes something here
    files = reminders.reminder_files(con, mine, demo=False)
    template = files["mau_con_thieu_2026-Q3_so_khcn.xlsx"]
    assert _ids(template, SHEET_DATA) | _ids(template, SHEET_TASKS) == ids
    doc = Document(io.BytesIO(files["cong_van_don_doc_2026-Q3_so_khcn.docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Kính gửi: Sở Khoa học và Công nghệ" in text and "Quý III/2026" in text
    assert "18/09/2026" in text and "quá 12 ngày" not in text and "đã qua 12 ngày" in text
    table_ids = {row.cells[2].text for row in doc.tables[1].rows[1:]}
    assert table_ids == ids
    con.close()


def test_cli_writes_one_letter_per_agency(db_path, tmp_path, capsys):
    out = tmp_path / "out"
    assert (
        main(["reminders", "--period", PERIOD, "-o", str(out), "--db", str(db_path), "--today", "2026-09-30"])
        == 0
    )
    con = duckdb.connect(str(db_path), read_only=True)
    agencies = set(reporting.obligations(con, PERIOD)["agency_id"])
    con.close()
    assert {p.name for p in out.glob("*.docx")} == {f"cong_van_don_doc_{PERIOD}_{a}.docx" for a in agencies}
    assert len(list(out.glob("*.xlsx"))) == len(agencies)


def test_template_filter_on_demo_data(demo_con):
    xlsx = build_template(demo_con, "2025-Q4", "so_khcn", only={"CHU_KY_SO"})
    assert _ids(xlsx, SHEET_DATA) == {"CHU_KY_SO"} and _ids(xlsx, SHEET_TASKS) == set()


def test_without_settings_nothing_is_sent(db_path, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("NQ57_SMTP_HOST", raising=False)
    assert smtp_settings({}, {}) is None
    assert smtp_settings({"NQ57_SMTP_HOST": "127.0.0.1"}) is None  # no sender: still nothing
    main(["reminders", "--period", PERIOD, "-o", str(tmp_path / "o"), "--db", str(db_path), "--send"])
    assert "Chưa cấu hình máy chủ thư" in capsys.readouterr().out


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_each_agency_gets_only_its_own_items(db_path, smtp_server):
    port, inbox = smtp_server
    con = duckdb.connect(str(db_path), read_only=True)
    letters = reminders.reminders(con, PERIOD, TODAY)
    by_id = {r.agency_id: r for r in letters}
    settings = smtp_settings(
        {},
        {
            "host": "127.0.0.1",
            "port": port,
            "from": "skhcn@example.test",
            "recipients": {"so_khcn": "khcn@example.test", "so_noivu": "noivu@example.test"},
        },
    )
    items = [(r, reminders.reminder_files(con, r, False)) for r in letters]
    con.close()
    sent, no_address = send(settings, items)
    assert sorted(sent) == ["so_khcn", "so_noivu"] and len(no_address) == len(letters) - 2
    received = {m["To"]: m for m in inbox.messages}
    assert set(received) == {"khcn@example.test", "noivu@example.test"}
    for address, agency in (("khcn@example.test", "so_khcn"), ("noivu@example.test", "so_noivu")):
        msg = message_from_bytes(received[address].as_bytes())
        body = next(p for p in msg.walk() if p.get_content_type() == "text/plain").get_payload(decode=True)
        body = body.decode("utf-8")
        names = [p.get_filename() for p in msg.walk() if p.get_filename()]
        assert f"cong_van_don_doc_{PERIOD}_{agency}.docx" in names
        mine = {i for _, i, _ in by_id[agency].items}
        others = {i for a, r in by_id.items() if a != agency for _, i, _ in r.items} - mine
        assert all(i in body for i in mine)
        assert not any(f" {i}:" in body for i in others)
