"""pandas + openpyxl: reads every workbook of a folder (sheet « Notes », header on row 4) into one
pandas frame.

Usage: python xlsx_pandas_openpyxl.py DOSSIER
"""

import pathlib
import sys

import pandas as pd

frames = [
    pd.read_excel(path, sheet_name="Notes", header=3, engine="openpyxl", dtype={"N° candidat": str})
    for path in sorted(pathlib.Path(sys.argv[1]).glob("*.xlsx"))
]
notes = pd.concat(frames, ignore_index=True)
print(f"LIGNES {len(notes)}", flush=True)
