"""Our counts, read from what `ndrc-stats results` and `rates` wrote: the final decision of every
candidate (resultats.csv) and the présents and admis of each session (reussite.csv, niveau
« ensemble »), in the peers' machine-readable line.

Usage: python ours.py REPORTS_DIR
"""

import csv
import json
import pathlib
import sys

rapports = pathlib.Path(sys.argv[1])


def lire(nom):
    with open(rapports / nom, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


out = {}
for ligne in lire("resultats.csv"):
    s = out.setdefault(ligne["session"], {"candidats": 0, "presents": 0, "admis": 0})
    s["candidats"] += 1
    s[ligne["decision_finale"]] = s.get(ligne["decision_finale"], 0) + 1
for ligne in lire("reussite.csv"):
    if ligne["niveau"] == "ensemble":
        out[ligne["session"]]["presents"] = int(ligne["presents"])
        out[ligne["session"]]["admis"] = int(ligne["admis"])
print("COMPTES ndrc-stats " + json.dumps(out, sort_keys=True))
