"""Start the app: `python -m ui.serve [Streamlit flags]` is `streamlit run app.py [flags]`, deep links included.

Why not plain `streamlit run app.py`: Streamlit (1.67) decides once per process, when the first browser
session opens, whether the app is an old-style multipage app, by looking for a folder named `pages/`
beside the entry script (`PagesManager.uses_pages_directory`). Ours has one (the pages st.navigation runs),
so the first run of the first session goes through Streamlit's pages-folder router, which knows only the
file names: a first visitor who opens http://…/chi-tieu gets Streamlit's English "Page not found" dialog
(the right page loads behind it). Every later run is fine, because st.navigation clears the flag for the
whole process ("As soon as any session of your app executes the st.navigation command, your app will
ignore the pages/ directory (across all sessions)", Streamlit's st.navigation docs; streamlit#10276).
Clearing that flag before the server starts makes the first run what every other run already is.
Streamlit offers no setting for it. tests/e2e/test_layout.py opens a deep link as the very first request
of a fresh server to prove it, so a Streamlit upgrade that renames the flag fails a test instead of
quietly bringing the dialog back.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def use_st_navigation_from_the_first_session() -> None:
    """Tell Streamlit, before any session exists, that app.py routes with st.navigation, not pages/."""
    from streamlit.runtime.pages_manager import PagesManager

    if not hasattr(PagesManager, "uses_pages_directory"):  # a Streamlit that dropped the old router
        return
    PagesManager.uses_pages_directory = False


def main(flags: list[str] | None = None) -> None:
    from streamlit.web import cli

    use_st_navigation_from_the_first_session()
    args = ["run", str(APP), *(sys.argv[1:] if flags is None else flags)]
    # prog_name as in `python -m streamlit`: Streamlit shows the same command line either way
    cli.main(args=args, prog_name="streamlit")


if __name__ == "__main__":
    main()
