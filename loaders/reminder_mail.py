"""Optional e-mail of reminders: only when SMTP is configured, each agency only its own items."""

from __future__ import annotations

import csv
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from metrics.reminder_text import Reminder

DOCX_MIME = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX_MIME = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
NOT_CONFIGURED = (
    "Chưa cấu hình máy chủ thư (SMTP): không gửi thư nào. Tải công văn và mẫu Excel để gửi theo đường "
    "văn bản; cách cấu hình thư ở docs/reporting.md."
)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    recipients: Mapping[str, str] = field(default_factory=dict)  # agency_id -> address


def _recipients(value: object) -> dict[str, str]:
    """A mapping as given in secrets.toml, or the path of a csv agency_id,email (kept outside git)."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, str) and value:
        rows = csv.DictReader(Path(value).read_text(encoding="utf-8-sig").splitlines())
        return {r["agency_id"].strip(): r["email"].strip() for r in rows if r.get("email")}
    return {}


def smtp_settings(env: Mapping[str, str], secrets: Mapping[str, object] | None = None) -> SmtpSettings | None:
    """[smtp] in .streamlit/secrets.toml first, else NQ57_SMTP_HOST, _PORT, _FROM, _USER, _PASSWORD,
    _STARTTLS, _RECIPIENTS; None without a host and a sender, so nothing is ever sent by accident."""
    secrets = secrets or {}

    def get(key: str) -> object:
        return secrets.get(key) if key in secrets else env.get(f"NQ57_SMTP_{key.upper()}")

    host, sender = get("host"), get("from")
    if not host or not sender:
        return None
    return SmtpSettings(
        host=str(host),
        port=int(get("port") or 25),
        sender=str(sender),
        user=str(get("user")) if get("user") else None,
        password=str(get("password")) if get("password") else None,
        starttls=str(get("starttls") or "").lower() in ("1", "true", "yes"),
        recipients=_recipients(get("recipients")),
    )


def message(settings: SmtpSettings, reminder: Reminder, files: Mapping[str, bytes]) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = settings.recipients[reminder.agency_id]
    msg["Subject"] = reminder.subject
    lines = [f"Kính gửi: {reminder.agency_name}", "", *reminder.paragraphs(), ""]
    lines += [f"- {kind} {item_id}: {name}" for kind, item_id, name in reminder.items]
    msg.set_content("\n".join(lines))
    for name, data in files.items():
        maintype, subtype = DOCX_MIME if name.endswith(".docx") else XLSX_MIME
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def send(
    settings: SmtpSettings, items: list[tuple[Reminder, Mapping[str, bytes]]]
) -> tuple[list[str], list[str]]:
    """Send each reminder to its own agency's address: (agencies sent to, agencies without an address)."""
    sent, no_address = [], []
    with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        for reminder, files in items:
            if reminder.agency_id not in settings.recipients:
                no_address.append(reminder.agency_id)
                continue
            smtp.send_message(message(settings, reminder, files))
            sent.append(reminder.agency_id)
    return sent, no_address
