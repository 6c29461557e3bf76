"""The files a coordinating office hands on: a task sheet (Excel, CSV), a deadline calendar (iCalendar) and a
report draft (Word). Pure: statuses in, bytes out; one module per format, the rows they share in :mod:`.rows`."""

from scheduler.exports.build import ExportFile, build_export
from scheduler.exports.calendar import export_ics
from scheduler.exports.report_draft import export_docx
from scheduler.exports.rows import EXPORT_FORMATS, ExportFormat, ExportRow, export_rows
from scheduler.exports.sheets import export_csv, export_xlsx

__all__ = [
    "EXPORT_FORMATS",
    "ExportFile",
    "ExportFormat",
    "ExportRow",
    "build_export",
    "export_csv",
    "export_docx",
    "export_ics",
    "export_rows",
    "export_xlsx",
]
