"""Checks that every peer's counts equal ours (and the generator's expected counts), session by
session: candidats, présents, admis and each decision. Exits 1, naming each difference, if not.

Usage: python compare.py GENERATE_STDOUT COMPTES_FILE...
Each COMPTES_FILE holds a line « COMPTES <peer> <json> »; the first is ours.
"""

import json
import re
import sys


def comptes(path):
    with open(path, encoding="utf-8") as f:
        for ligne in f:
            if ligne.startswith("COMPTES "):
                _, peer, data = ligne.split(" ", 2)
                return peer, json.loads(data)
    sys.exit(f"{path}: aucune ligne COMPTES (le programme a-t-il échoué ?)")


def attendus(path):
    """The counts `generate --national` printed (computed by the regulation in integers)."""
    out = {}
    motif = re.compile(
        r"session (\d+) : \d+ lignes, (\d+) candidats NDRC \(\d+ hors règlement\), (\d+) présents, "
        r"(\d+) admis ; décisions attendues : (.*)"
    )
    with open(path, encoding="utf-8") as f:
        for ligne in f:
            m = motif.match(ligne.strip())
            if m:
                s = {"candidats": int(m[2]), "presents": int(m[3]), "admis": int(m[4])}
                for d in m[5].split(", "):
                    code, n = d.rsplit(" ", 1)
                    s[code] = int(n)
                out[m[1]] = s
    return out


nous_peer, nous = comptes(sys.argv[2])
differences = []
autres = [("generate", attendus(sys.argv[1]))] + [comptes(p) for p in sys.argv[3:]]
for peer, leurs in autres:
    avant = len(differences)
    for session in sorted(set(nous) | set(leurs)):
        a, b = nous.get(session, {}), leurs.get(session, {})
        for cle in sorted(set(a) | set(b)):
            if a.get(cle, 0) != b.get(cle, 0):
                differences.append(f"  {peer}, session {session}, {cle} : {b.get(cle, 0)} (nous : {a.get(cle, 0)})")
    print(f"comptes {peer} = comptes {nous_peer} : {'non' if len(differences) > avant else 'oui'}")
if differences:
    print("ÉCHEC : les comptes diffèrent :\n" + "\n".join(differences), file=sys.stderr)
    sys.exit(1)
for session, s in sorted(nous.items()):
    print(f"  session {session} : {s['candidats']} candidats, {s['presents']} présents, {s['admis']} admis")
