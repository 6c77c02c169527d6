"""Files for briefings: chart images, the briefing pack (PDF, PowerPoint) and the periodic report (Excel).

No Streamlit here: the app (ui/export_buttons.py), the command line (`python -m exports`) and the
benchmarks call the same functions.
"""
