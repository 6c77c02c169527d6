"""The Excel template an agency fills in each quarter, and the reader that checks it when it comes back.

contract (sheets, columns, limits, versions, periods) · container (zip, OLE, size, zip bombs) ·
sheet_xml (% formats and unfinished formulas) · cells (numbers, percent, dates, periods as typed) ·
rows (one row loop for every sheet) · indicator_values and task_updates (each sheet's row check) ·
reader (read_actuals) · template_rows, validations, help_sheet and template (the writer).
"""
