"""The three sections of the Tải số liệu page (template, upload with preview and commit, history with revert),
so that pages/upload.py stays a thin script. Each section reads and writes through loaders only."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import streamlit as st

from exports import history_workbook
from loaders import audit, auth, review_checks, upload_commit, upload_history, upload_preview, upload_tables
from loaders.excel import container, contract, template, template_rows
from loaders.locking import DatabaseError, DatabaseReplaced
from metrics.periods import quarter_label_vi
from ui import db, login
from ui import review as review_ui

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_REVERT_BUTTONS = 20
IDENTITY_KEY = "upload_db_identity"
ACCEPTED_AT_WIDGET = ("xlsx", "xlsm", "xls", "ods", "csv")
PREVIEW_CONFIG = {
    "Thay đổi": st.column_config.TextColumn(width="small"),
    "Giá trị mới": st.column_config.TextColumn(width="small"),
    "Giá trị cũ": st.column_config.TextColumn(width="small"),
    "Trạng thái sau khi ghi": st.column_config.TextColumn(width="medium"),
    "Tên chỉ tiêu": st.column_config.TextColumn(width="medium"),
    "Ghi chú": st.column_config.TextColumn(width="small"),
    "Nguồn/minh chứng": st.column_config.TextColumn(width="small"),
}


@dataclass(frozen=True)
class Session:
    """Who is at the page and which database file it read: a write is refused if that file was deleted or
    replaced since (a restore, a mistake)."""

    user: auth.User
    expected: object

    @classmethod
    def start(cls, user: auth.User) -> Session:
        return cls(user, st.session_state.setdefault(IDENTITY_KEY, db.identity()))

    def write(self, work):
        """work(connection) under the writer's lock, audited as this account from this browser."""
        with (
            audit.acting("app", account=self.user.name, client=login.client_id()),
            db.writing(self.expected) as con,
        ):
            return work(con)


def stop_on(exc: DatabaseError) -> None:
    if isinstance(exc, DatabaseReplaced):
        st.session_state.pop(IDENTITY_KEY, None)
    db.show_database_error(exc)
    st.stop()


def show_messages() -> None:
    """What the previous run did (a commit, a revert, a stale preview), kept across its st.rerun()."""
    for key in ("upload_result", "revert_result"):
        if key in st.session_state:
            st.success(st.session_state.pop(key))
    if "upload_stale" in st.session_state:
        st.warning(st.session_state.pop("upload_stale"))


def clear_uploader() -> None:
    """A new key for the uploader: after a commit or a revert the file is not validated and offered again."""
    st.session_state["upload_generation"] = st.session_state.get("upload_generation", 0) + 1


def template_section(session: Session) -> tuple[str, str] | None:
    """1. Period and agency, and the template for them. Returns the reporter's own agency (code, name)."""
    user = session.user
    st.subheader("1. Chọn kỳ báo cáo và tải mẫu")
    left, right = st.columns(2)
    period = left.selectbox(
        "Kỳ báo cáo", contract.selectable_periods(), format_func=quarter_label_vi, key="upload_period"
    )
    try:
        with db.reading() as cur:
            agencies = dict(template_rows.agency_choices(cur))
            # An agency's reporter gets its own template only (docs/reporting.md §6).
            own = review_checks.current_agency(cur, user.agency) if user.role == auth.ROLE_AGENCY else None
            if own is not None:
                agencies = {own[0]: own[1]}
            elif user.role == auth.ROLE_AGENCY:
                st.warning(
                    f"Tài khoản {user.label} chưa gắn với cơ quan nào có trong danh mục: đề nghị quản trị viên "
                    "gắn mã cơ quan cho tài khoản."
                )
                st.stop()
            agency = right.selectbox(
                "Cơ quan chủ trì",
                [*agencies] if own is not None else [None, *agencies],
                key="upload_agency",
                format_func=lambda a: "Tất cả cơ quan" if a is None else agencies[a],
            )
            template_file = template.build_template(cur, period, agency)
    except DatabaseError as exc:
        stop_on(exc)
    st.download_button(
        "Tải mẫu Excel",
        data=template_file,
        file_name=template.template_file_name(period, agency),
        mime=XLSX_MIME,
        key="template_download",
        icon=":material/download:",
    )
    return own


def upload_section(session: Session) -> None:
    """2. Upload, check, preview, commit."""
    st.subheader("2. Tải tệp đã điền lên")
    # Other spreadsheet types pass the widget so that the reader refuses them with its own Vietnamese message
    # (how to save as .xlsx), not Streamlit's English one; likewise the widget's size limit
    # (server.maxUploadSize) is above ours, which the reader checks.
    file = st.file_uploader(
        "Tệp .xlsx đã điền theo mẫu",
        type=list(ACCEPTED_AT_WIDGET),
        key=f"upload_file_{st.session_state.get('upload_generation', 0)}",
    )
    if file is not None and file.size > contract.MAX_UPLOAD_BYTES:
        st.error(str(container.size_issue(file.name, file.size)))
    elif file is not None:
        _check_and_commit(session, file)


def _check_and_commit(session: Session, file) -> None:
    # Each run previews again; a confirmation applies to the preview the person saw on the run before,
    # so its fingerprint of the stored values is kept across the rerun the button click makes.
    seen = st.session_state.get("upload_seen")
    with st.status("Đang đọc và kiểm tra tệp…", expanded=False) as box:
        bar = st.progress(0.0)
        try:
            # The status preview writes in a transaction it rolls back: the writer's lock, briefly.
            with db.writing(session.expected) as con:
                result = upload_preview.validate_and_preview(
                    con,
                    file.getvalue(),
                    file.name,
                    reporter=session.user,
                    progress=lambda f, text: bar.progress(min(max(f, 0.0), 1.0), text=text),
                )
        except DatabaseError as exc:
            box.update(label="Chưa kiểm tra được tệp", state="error")
            stop_on(exc)
        # The summary itself is shown once, below; the box only says the check is over.
        box.update(
            label=f"Đã kiểm tra tệp “{result.parsed.file_name}”.", state="complete" if result.ok else "error"
        )
    st.session_state["upload_seen"] = (result.parsed.sha256, result.fingerprint)
    if not result.ok:
        st.error(result.summary())
        st.dataframe(upload_tables.errors_display(result.errors), hide_index=True, key="upload_errors")
        return
    (st.info if result.has_changes else st.warning)(result.summary())
    if len(result.table) or (result.tasks.empty and result.actions.empty):
        st.dataframe(
            upload_tables.preview_display(result),
            hide_index=True,
            key="upload_preview",
            column_config=PREVIEW_CONFIG,
        )
    if not result.tasks.empty:
        st.caption("Cập nhật nhiệm vụ (trang “Nhiệm vụ” của tệp):")
        st.dataframe(upload_tables.task_preview_display(result), hide_index=True, key="upload_task_preview")
    if not result.actions.empty:
        st.caption("Cập nhật giải pháp khắc phục (trang “Giải pháp khắc phục” của tệp):")
        st.dataframe(
            upload_tables.action_preview_display(result), hide_index=True, key="upload_action_preview"
        )
    if st.button(
        "Xác nhận ghi số liệu", key="upload_confirm", type="primary", disabled=not result.has_changes
    ):
        with st.spinner("Đang ghi số liệu…"):
            shown = seen[1] if seen is not None and seen[0] == result.parsed.sha256 else "unseen"
            confirmed = dataclasses.replace(result, fingerprint=shown)
            try:
                outcome = session.write(lambda con: upload_commit.commit(con, confirmed, session.user.name))
            except DatabaseError as exc:
                stop_on(exc)
        if outcome.committed:
            db.after_write()
            st.session_state["upload_result"] = outcome.message
            clear_uploader()
            st.rerun()
        if (
            outcome.status == "stale"
        ):  # the file stays: the rerun shows the preview against what is stored now
            st.session_state["upload_stale"] = outcome.message
            st.rerun()
        st.warning(outcome.message)


def history_section(session: Session, own: tuple[str, str] | None) -> None:
    """3. History and revert; an agency's reporter sees its own submissions and what was returned, no revert."""
    st.subheader("3. Lịch sử tải số liệu")
    if session.user.role == auth.ROLE_AGENCY:
        if own is not None:
            review_ui.agency_history(own[0])
        return
    try:
        with db.reading() as cur:
            history = upload_history.upload_history(cur)
            history_file = None if history.empty else history_workbook.history_workbook(cur)
    except DatabaseError as exc:
        stop_on(exc)
    if history.empty:
        st.caption("Chưa có lần tải số liệu nào.")
        return
    st.dataframe(upload_tables.history_display(history), hide_index=True, key="upload_history")
    st.download_button(
        "Tải toàn bộ lịch sử (.xlsx)",
        data=history_file,
        file_name="lich_su_tai_so_lieu.xlsx",
        mime=XLSX_MIME,
        key="history_download",
    )
    _revert_confirmation(session)
    st.caption("Hoàn tác một lần tải (ghi thêm một lần “Hoàn tác” khôi phục giá trị trước đó):")
    labels = upload_tables.upload_labels(history)
    for upload_id in upload_history.revertible(history)[:MAX_REVERT_BUTTONS]:
        text, button = st.columns([5, 1])
        text.text(labels[upload_id])
        if button.button(f"Hoàn tác #{upload_id}", key=f"revert_{upload_id}"):
            st.session_state["revert_pending"] = upload_id
            st.rerun()


def _revert_confirmation(session: Session) -> None:
    pending = st.session_state.get("revert_pending")
    if pending is None:
        return
    st.warning(f"Hoàn tác lần tải #{pending}? Các giá trị của lần này sẽ trở về như trước khi tải.")
    yes, no = st.columns(2)
    if yes.button("Xác nhận hoàn tác", key="revert_confirm", type="primary"):
        st.session_state.pop("revert_pending", None)
        try:
            outcome = session.write(lambda con: upload_commit.revert(con, int(pending), session.user.name))
        except DatabaseError as exc:
            stop_on(exc)
        if outcome.committed:
            db.after_write()
            st.session_state["revert_result"] = outcome.message
            clear_uploader()
            st.rerun()
        st.error(outcome.message)
    if no.button("Hủy", key="revert_cancel"):
        st.session_state.pop("revert_pending", None)
        st.rerun()
