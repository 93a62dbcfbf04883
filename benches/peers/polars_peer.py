"""polars: notes_nationales.csv transcoded from Windows-1252 (polars reads UTF-8 only), then the
decisions and rates as lazy frame operations.

Usage: python polars_peer.py notes_nationales.csv
"""

import sys

import polars as pl

import regle

R = regle.load()
PRIO = R["priorite"]
RANG_MANQ = PRIO.index(R["note_manquante"])

with open(sys.argv[1], "rb") as f:
    data = f.read().decode("cp1252").encode("utf-8")
brut = pl.read_csv(
    data,
    separator=";",
    decimal_comma=True,
    schema_overrides={"N° candidat": pl.String, "Note": pl.Float64, "Statut": pl.String, "UAI": pl.String},
).lazy()

epreuves = pl.LazyFrame(R["epreuves"], schema=["epreuve", "unite", "coef"], orient="row")
unites = pl.LazyFrame(
    R["unites"], schema=["unite", "nature", "ucoef", "seuil", "n_epreuves", "somme_coefs"], orient="row"
)
statuts = pl.LazyFrame(
    [(s, e, PRIO.index(d) if d in PRIO else None) for s, e, d in R["statuts"]],
    schema={"statut": pl.String, "effet": pl.String, "rang": pl.Int64},
    orient="row",
)
mot = R["mots_diplome"][0]
ndrc = brut.select(
    pl.col("Session").alias("session"),
    pl.col("N° candidat").alias("candidat"),
    pl.col("Spécialité").alias("specialite"),
    pl.col("Epreuve").alias("epreuve"),
    (pl.col("Note") * 100).round().cast(pl.Int64).alias("note"),
    pl.col("Statut").alias("statut"),
).filter(pl.col("specialite").str.to_lowercase().str.contains(mot, literal=True))
candidats = ndrc.group_by("session", "candidat").agg(
    (pl.col("statut").is_null() & pl.col("note").is_not_null()).any().alias("present")
)
lignes = ndrc.join(epreuves, on="epreuve").join(statuts, on="statut", how="left")
sans_code = pl.col("effet").is_null()
par_unite = lignes.group_by("session", "candidat", "unite").agg(
    ((pl.col("effet") == "zero") | (sans_code & pl.col("note").is_not_null())).sum().alias("notees"),
    (pl.col("effet") == "dispense").sum().alias("dispensees"),
    pl.col("rang").filter(pl.col("effet") == "decision").min().alias("rang"),
    (pl.col("coef") * pl.col("note")).filter(sans_code).sum().alias("points"),
)
etats = (
    candidats.join(unites, how="cross")
    .join(par_unite, on=["session", "candidat", "unite"], how="left")
    .with_columns(
        pl.col("notees").fill_null(0),
        pl.col("dispensees").fill_null(0),
        pl.col("points").fill_null(0),
    )
    .with_columns(
        pl.when(pl.col("notees") == pl.col("n_epreuves"))
        .then(pl.lit("notee"))
        .when(pl.col("dispensees") == pl.col("n_epreuves"))
        .then(pl.lit("dispense"))
        .when(pl.col("rang").is_not_null())
        .then(pl.lit("statut"))
        .otherwise(pl.lit("manquante"))
        .alias("etat"),
        pl.col("rang").fill_null(RANG_MANQ),
    )
)
obligatoire = pl.col("nature") != "facultative"
notee = pl.col("etat") == "notee"
pro = (pl.col("nature") == "professionnelle") & notee
sommes = etats.group_by("session", "candidat").agg(
    pl.col("rang").filter(obligatoire & pl.col("etat").is_in(["statut", "manquante"])).min(),
    pl.col("ucoef").filter(obligatoire & (pl.col("etat") != "dispense")).sum().alias("coefs"),
    (
        pl.col("points").filter(obligatoire & notee).sum()
        + (pl.col("points") - pl.col("seuil") * pl.col("somme_coefs"))
        .clip(lower_bound=0)
        .filter(~obligatoire & notee)
        .sum()
    ).alias("points"),
    pl.col("points").filter(pro).sum().alias("points_pro"),
    pl.col("ucoef").filter(pro).sum().alias("coefs_pro"),
    pl.col("present").first(),
)
decision = (
    pl.when(pl.col("rang").is_not_null())
    .then(pl.col("rang").replace_strict(list(range(len(PRIO))), PRIO, return_dtype=pl.String))
    .when(pl.col("coefs") == 0)
    .then(pl.lit(R["note_manquante"]))
    .when(pl.col("points") >= R["admis"] * pl.col("coefs"))
    .then(pl.lit("ADMIS"))
    .when(
        (pl.col("points") >= R["controle"] * pl.col("coefs"))
        & (pl.col("coefs_pro") > 0)
        & (pl.col("points_pro") >= R["controle_pro"] * pl.col("coefs_pro"))
    )
    .then(pl.lit("CONTROLE"))
    .otherwise(pl.lit("AJOURNE"))
)
comptes = (
    sommes.with_columns(decision.alias("decision"))
    .group_by("session", "decision", "present")
    .agg(pl.len())
    .collect()
)
regle.emit("polars", comptes.rows())
