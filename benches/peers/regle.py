"""The exam regulation the peers apply, read from data/regulation/ndrc.toml (nothing restated).

Numbers are integers in hundredths (coefficients, thresholds) so that, with grades in hundredths,
points are exact integers in ten-thousandths, as the pipeline's DECIMAL SQL. The peers handle what
`generate --national` writes: grades, ABS, ABJ, DISP, NV, RES, empty cells; no kept grade (BEN),
control exam or jury decision.
"""

import json
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _h(x):
    return int(round(float(x) * 100))


def load(path=ROOT / "data" / "regulation" / "ndrc.toml"):
    """The regulation as plain tables: exams, units, status codes, precedence, thresholds."""
    with open(path, "rb") as f:
        reg = tomllib.load(f)
    epreuves, unites = [], []
    for u in reg["unites"]:
        coefs = [_h(e["coefficient"]) for e in u["epreuves"]]
        for e, c in zip(u["epreuves"], coefs):
            epreuves.append((e["code"], u["code"], c))
        unites.append(
            (
                u["code"],
                u["nature"],
                _h(u.get("coefficient", 0)),
                _h(u.get("points_au_dessus_de", 0)),
                len(coefs),
                sum(coefs),
            )
        )
    statuts = [(code, s["effet"], s.get("decision")) for code, s in reg["statuts"].items()]
    return {
        "epreuves": epreuves,  # (epreuve, unite, coefficient)
        "unites": unites,  # (unite, nature, coefficient, seuil_bonus, n_epreuves, somme_coefs)
        "statuts": statuts,  # (statut, effet, decision)
        "priorite": reg["decisions"]["priorite"],
        "note_manquante": reg["decisions"]["note_manquante"],
        "admis": _h(reg["seuils"]["admis"]),
        "controle": _h(reg["seuils"]["controle"]),
        "controle_pro": _h(reg["seuils"]["controle_moyenne_professionnelle"]),
        "mots_diplome": [m for groupe in reg["diplome"]["mots"] for m in groupe if len(groupe) == 1],
    }


def emit(peer, rows):
    """Prints the one machine-readable line the benchmark compares: per session, candidats,
    présents, admis and each decision. rows: (session, decision, present, count)."""
    out = {}
    for session, decision, present, n in rows:
        s = out.setdefault(str(int(session)), {"candidats": 0, "presents": 0, "admis": 0})
        n = int(n)
        s["candidats"] += n
        s[decision] = s.get(decision, 0) + n
        if present:
            s["presents"] += n
            if decision == "ADMIS":
                s["admis"] += n
    print("COMPTES " + peer + " " + json.dumps(out, sort_keys=True), flush=True)
