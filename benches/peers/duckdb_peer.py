"""DuckDB alone: read_csv of notes_nationales.csv, then the decisions and rates in one SQL.

Usage: python duckdb_peer.py notes_nationales.csv
"""

import sys

import duckdb

import regle

R = regle.load()
PRIO = "[" + ", ".join(f"'{d}'" for d in R["priorite"]) + "]"
MANQ = R["note_manquante"]


def values(rows):
    def lit(v):
        return "NULL" if v is None else (str(v) if isinstance(v, int) else f"'{v}'")

    return ", ".join("(" + ", ".join(lit(v) for v in r) + ")" for r in rows)


con = duckdb.connect()
con.execute(f"CREATE TABLE reg_epreuves(epreuve, unite, coef) AS VALUES {values(R['epreuves'])}")
con.execute(
    "CREATE TABLE reg_unites(unite, nature, coef, seuil, n_epreuves, somme_coefs) AS VALUES "
    + values(R["unites"])
)
con.execute(f"CREATE TABLE reg_statuts(statut, effet, decision) AS VALUES {values(R['statuts'])}")
mot = R["mots_diplome"][0]
sql = f"""
WITH brut AS (
    SELECT Session AS session, "N° candidat" AS candidat, "Spécialité" AS specialite,
           Epreuve AS epreuve, CAST(round(Note * 100) AS BIGINT) AS note, nullif(Statut, '') AS statut
    FROM read_csv('{sys.argv[1]}', delim = ';', encoding = 'latin-1', decimal_separator = ',',
                  header = true, types = {{'Note': 'DOUBLE', 'N° candidat': 'VARCHAR', 'Statut': 'VARCHAR'}})
),
ndrc AS (SELECT * FROM brut WHERE lower(specialite) LIKE '%{mot}%'),
candidats AS (
    SELECT session, candidat, bool_or(statut IS NULL AND note IS NOT NULL) AS present
    FROM ndrc GROUP BY ALL
),
lignes AS (
    SELECT n.session, n.candidat, e.unite, e.coef, n.note, s.effet,
           list_position({PRIO}, s.decision) AS rang
    FROM ndrc AS n JOIN reg_epreuves AS e USING (epreuve) LEFT JOIN reg_statuts AS s USING (statut)
),
par_unite AS (
    SELECT session, candidat, unite,
           count(*) FILTER (WHERE effet = 'zero' OR (effet IS NULL AND note IS NOT NULL)) AS notees,
           count(*) FILTER (WHERE effet = 'dispense') AS dispensees,
           min(rang) FILTER (WHERE effet = 'decision') AS rang,
           coalesce(sum(coef * note) FILTER (WHERE effet IS NULL), 0) AS points
    FROM lignes GROUP BY ALL
),
etats AS (
    SELECT c.session, c.candidat, u.nature, u.coef, u.seuil, u.somme_coefs, coalesce(p.points, 0) AS points,
           CASE WHEN coalesce(p.notees, 0) = u.n_epreuves THEN 'notee'
                WHEN coalesce(p.dispensees, 0) = u.n_epreuves THEN 'dispense'
                WHEN p.rang IS NOT NULL THEN 'statut'
                ELSE 'manquante' END AS etat,
           CASE WHEN p.rang IS NOT NULL THEN p.rang ELSE list_position({PRIO}, '{MANQ}') END AS rang
    FROM candidats AS c CROSS JOIN reg_unites AS u
    LEFT JOIN par_unite AS p ON p.session = c.session AND p.candidat = c.candidat AND p.unite = u.unite
),
sommes AS (
    SELECT session, candidat,
           min(rang) FILTER (WHERE nature <> 'facultative' AND etat IN ('statut', 'manquante')) AS rang,
           coalesce(sum(coef) FILTER (WHERE nature <> 'facultative' AND etat <> 'dispense'), 0) AS coefs,
           coalesce(sum(points) FILTER (WHERE nature <> 'facultative' AND etat = 'notee'), 0)
             + coalesce(sum(greatest(points - seuil * somme_coefs, 0)) FILTER (WHERE nature = 'facultative' AND etat = 'notee'), 0) AS points,
           coalesce(sum(points) FILTER (WHERE nature = 'professionnelle' AND etat = 'notee'), 0) AS points_pro,
           coalesce(sum(coef) FILTER (WHERE nature = 'professionnelle' AND etat = 'notee'), 0) AS coefs_pro
    FROM etats GROUP BY ALL
),
decisions AS (
    SELECT s.session, c.present,
        CASE WHEN s.rang IS NOT NULL THEN {PRIO}[s.rang]
             WHEN s.coefs = 0 THEN '{MANQ}'
             WHEN s.points >= {R['admis']} * s.coefs THEN 'ADMIS'
             WHEN s.points >= {R['controle']} * s.coefs AND s.coefs_pro > 0
                  AND s.points_pro >= {R['controle_pro']} * s.coefs_pro THEN 'CONTROLE'
             ELSE 'AJOURNE' END AS decision
    FROM sommes AS s JOIN candidats AS c USING (session, candidat)
)
SELECT session, decision, present, count(*) FROM decisions GROUP BY ALL ORDER BY ALL
"""
regle.emit("duckdb", con.execute(sql).fetchall())
