"""The launcher (python -m ui.serve): streamlit run app.py, with the pages-folder router off before any session.

The browser proof (a fresh server whose first request is a deep link) is
tests/e2e/test_layout.py::test_a_deep_link_opened_first_after_a_start_shows_its_page.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from ui import serve


def test_streamlit_still_takes_our_app_for_a_pages_folder_app(monkeypatch):
    """Why the launcher exists: left alone, the first session sees pages/ beside app.py. When this fails,
    Streamlit no longer does so and ui/serve.py can go."""
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(serve.APP))
    assert PagesManager.uses_pages_directory is True


def test_the_launcher_runs_app_py_with_the_router_off_before_the_first_session(monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    calls = []
    monkeypatch.setattr(cli, "main", lambda **kwargs: calls.append(kwargs))

    serve.main(["--server.port", "8765"])

    assert calls == [{"args": ["run", str(serve.APP), "--server.port", "8765"], "prog_name": "streamlit"}]
    assert serve.APP.name == "app.py" and (serve.APP.parent / "pages").is_dir()
    PagesManager(str(serve.APP))  # the first session's manager, created after the launcher ran
    assert PagesManager.uses_pages_directory is False


def test_the_launcher_passes_the_command_line_on(monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    calls = []
    monkeypatch.setattr(cli, "main", lambda **kwargs: calls.append(kwargs["args"]))
    monkeypatch.setattr("sys.argv", ["ui/serve.py", "--server.headless", "true"])

    serve.main()

    assert calls == [["run", str(serve.APP), "--server.headless", "true"]]
