"""python-calamine → polars: reads every workbook of a folder (sheet « Notes », header on row 4)
into one polars frame, as a Python user would load the academies' workbooks.

Usage: python xlsx_calamine_polars.py DOSSIER
"""

import pathlib
import sys

import polars as pl
from python_calamine import CalamineWorkbook

LIGNE_ENTETE = 3
frames = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.xlsx")):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Notes").to_python()
    header, data = rows[LIGNE_ENTETE], rows[LIGNE_ENTETE + 1 :]
    columns = list(zip(*data)) if data else [[] for _ in header]
    frames.append(
        pl.DataFrame(
            {h: pl.Series(h, [None if v == "" else str(v) for v in col], dtype=pl.String) for h, col in zip(header, columns)}
        )
    )
notes = pl.concat(frames)
print(f"LIGNES {notes.height}", flush=True)
