"""pandas: read_csv of notes_nationales.csv (Windows-1252, decimal comma), then the decisions and
rates with groupby operations.

Usage: python pandas_peer.py notes_nationales.csv
"""

import sys

import numpy as np
import pandas as pd

import regle

R = regle.load()
PRIO = R["priorite"]
RANG_MANQ = PRIO.index(R["note_manquante"])

brut = pd.read_csv(
    sys.argv[1],
    sep=";",
    encoding="cp1252",
    decimal=",",
    dtype={"N° candidat": str, "Statut": str, "UAI": str},
    keep_default_na=False,
    na_values={"Note": [""]},
)
mot = R["mots_diplome"][0]
ndrc = pd.DataFrame(
    {
        "session": brut["Session"],
        "candidat": brut["N° candidat"],
        "specialite": brut["Spécialité"],
        "epreuve": brut["Epreuve"],
        "note": (brut["Note"] * 100).round().astype("Int64"),
        "statut": brut["Statut"].replace("", np.nan),
    }
)
ndrc = ndrc[ndrc["specialite"].str.lower().str.contains(mot, regex=False)]
ndrc["donnee"] = ndrc["statut"].isna() & ndrc["note"].notna()
candidats = ndrc.groupby(["session", "candidat"], as_index=False)["donnee"].any()
candidats = candidats.rename(columns={"donnee": "present"})

epreuves = pd.DataFrame(R["epreuves"], columns=["epreuve", "unite", "coef"])
unites = pd.DataFrame(R["unites"], columns=["unite", "nature", "ucoef", "seuil", "n_epreuves", "somme_coefs"])
statuts = pd.DataFrame(
    [(s, e, PRIO.index(d) if d in PRIO else np.nan) for s, e, d in R["statuts"]],
    columns=["statut", "effet", "rang"],
)
lignes = ndrc.merge(epreuves, on="epreuve").merge(statuts, on="statut", how="left")
sans_code = lignes["effet"].isna()
lignes["notee"] = (lignes["effet"] == "zero") | (sans_code & lignes["note"].notna())
lignes["dispensee"] = lignes["effet"] == "dispense"
lignes["rang_code"] = lignes["rang"].where(lignes["effet"] == "decision")
lignes["points"] = (lignes["coef"] * lignes["note"]).where(sans_code).fillna(0).astype("int64")
par_unite = lignes.groupby(["session", "candidat", "unite"], as_index=False).agg(
    notees=("notee", "sum"),
    dispensees=("dispensee", "sum"),
    rang=("rang_code", "min"),
    points=("points", "sum"),
)
etats = candidats.merge(unites, how="cross").merge(par_unite, on=["session", "candidat", "unite"], how="left")
etats[["notees", "dispensees", "points"]] = etats[["notees", "dispensees", "points"]].fillna(0)
etats["etat"] = np.select(
    [
        etats["notees"] == etats["n_epreuves"],
        etats["dispensees"] == etats["n_epreuves"],
        etats["rang"].notna(),
    ],
    ["notee", "dispense", "statut"],
    "manquante",
)
etats["rang"] = etats["rang"].fillna(RANG_MANQ)
obligatoire = etats["nature"] != "facultative"
notee = etats["etat"] == "notee"
pro = (etats["nature"] == "professionnelle") & notee
etats["r_bloque"] = etats["rang"].where(obligatoire & etats["etat"].isin(["statut", "manquante"]))
etats["c"] = etats["ucoef"].where(obligatoire & (etats["etat"] != "dispense"), 0)
bonus = (etats["points"] - etats["seuil"] * etats["somme_coefs"]).clip(lower=0)
etats["p"] = etats["points"].where(obligatoire & notee, 0) + bonus.where(~obligatoire & notee, 0)
etats["pp"] = etats["points"].where(pro, 0)
etats["cp"] = etats["ucoef"].where(pro, 0)
s = etats.groupby(["session", "candidat"], as_index=False).agg(
    rang=("r_bloque", "min"), coefs=("c", "sum"), points=("p", "sum"),
    points_pro=("pp", "sum"), coefs_pro=("cp", "sum"), present=("present", "first"),
)
bloquee = s["rang"].notna()
s["decision"] = np.select(
    [
        bloquee,
        s["coefs"] == 0,
        s["points"] >= R["admis"] * s["coefs"],
        (s["points"] >= R["controle"] * s["coefs"])
        & (s["coefs_pro"] > 0)
        & (s["points_pro"] >= R["controle_pro"] * s["coefs_pro"]),
    ],
    [
        s["rang"].fillna(0).astype(int).map(lambda i: PRIO[i]),
        R["note_manquante"],
        "ADMIS",
        "CONTROLE",
    ],
    "AJOURNE",
)
comptes = s.groupby(["session", "decision", "present"]).size().reset_index()
regle.emit("pandas", comptes.itertuples(index=False, name=None))
