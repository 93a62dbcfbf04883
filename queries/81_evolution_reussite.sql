-- 81_evolution_reussite.sql: how each success rate moved over the last sessions.
-- Inputs: reussite, reg_reussite.
-- Output: evolution_reussite, one row per (niveau, cle, session) over the last
-- reg_reussite.sessions_historique sessions of reussite (3 by default).
-- Rules (DOMAIN.md section 4):
--   ecart_points: the change of the rate, in percentage points, from the previous session of the
--   window where the cell exists, exact and rounded half away from zero to 0.1 (integer
--   arithmetic on admis and présents, never on the rounded rates);
--   recouvrement: 'oui' when this session's 95 % Wilson interval overlaps the previous one's
--   (unrounded bounds): the change may be chance; 'non': the rates differ beyond chance;
--   ecart_periode and recouvrement_periode compare with the first session of the window instead.

CREATE OR REPLACE TABLE evolution_reussite AS
WITH fenetre AS (
    SELECT session
    FROM (SELECT DISTINCT session FROM reussite)
    QUALIFY row_number() OVER (ORDER BY session DESC) <= (SELECT sessions_historique FROM reg_reussite)
),
lignes AS (
    SELECT r.*,
        lag(r.session) OVER w AS session_precedente,
        lag(r.presents) OVER w AS presents_precedents,
        lag(r.admis) OVER w AS admis_precedents,
        lag(r.p_bas) OVER w AS p_bas_precedent,
        lag(r.p_haut) OVER w AS p_haut_precedent,
        first_value(r.session) OVER w AS session_debut,
        first_value(r.presents) OVER w AS presents_debut,
        first_value(r.admis) OVER w AS admis_debut,
        first_value(r.p_bas) OVER w AS p_bas_debut,
        first_value(r.p_haut) OVER w AS p_haut_debut
    FROM reussite AS r
    JOIN fenetre USING (session)
    WINDOW w AS (PARTITION BY r.niveau, r.cle ORDER BY r.session)
),
ecarts AS (
    SELECT l.*,
        -- 100 (a2/n2 - a1/n1) = 100 (a2 n1 - a1 n2) / (n1 n2), to tenths of a point. Every
        -- product is HUGEINT: counts of a national session (10^6) overflow INTEGER products.
        1000 * (CAST(admis AS HUGEINT) * presents_precedents
                - CAST(admis_precedents AS HUGEINT) * presents) AS num,
        CAST(presents AS HUGEINT) * presents_precedents AS den,
        1000 * (CAST(admis AS HUGEINT) * presents_debut
                - CAST(admis_debut AS HUGEINT) * presents) AS num_debut,
        CAST(presents AS HUGEINT) * presents_debut AS den_debut
    FROM lignes AS l
)
SELECT
    niveau, ordre_niveau, cle, session, presents, admis, taux, ic_bas, ic_haut,
    session_precedente,
    CAST(CAST(sign(num) * ((2 * abs(num) + den) // (2 * den)) AS DECIMAL(6, 0)) * 0.1 AS DECIMAL(5, 1))
        AS ecart_points,
    CASE WHEN session_precedente IS NULL THEN NULL
         WHEN p_bas <= p_haut_precedent AND p_bas_precedent <= p_haut THEN 'oui'
         ELSE 'non' END AS recouvrement,
    CASE WHEN session_debut < session THEN session_debut END AS session_debut,
    CASE WHEN session_debut < session THEN CAST(CAST(
        sign(num_debut) * ((2 * abs(num_debut) + den_debut) // (2 * den_debut)) AS DECIMAL(6, 0))
        * 0.1 AS DECIMAL(5, 1)) END AS ecart_periode,
    CASE WHEN session_debut = session THEN NULL
         WHEN p_bas <= p_haut_debut AND p_bas_debut <= p_haut THEN 'oui'
         ELSE 'non' END AS recouvrement_periode
FROM ecarts
ORDER BY ordre_niveau, cle, session;
