//! Consistency checks of a regulation file once parsed: every message names the key at fault
//! (`unites[4].epreuves[1].coefficient`) and says in French what is expected.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{Effet, Nature, Regulation};

/// Highest number of decimals of a coefficient or threshold (grades have 2).
const MAX_DECIMALS: u32 = 2;

impl Regulation {
    /// Checks the parsed file; the error names the key.
    pub(super) fn check(&self) -> Result<(), String> {
        self.check_thresholds()?;
        self.check_decisions()?;
        self.check_units()?;
        self.check_control()
    }

    fn check_thresholds(&self) -> Result<(), String> {
        let s = &self.seuils;
        let max = s.note_maximale;
        number("seuils.note_maximale", max)?;
        if max <= Decimal::ZERO {
            return Err("seuils.note_maximale : nombre positif attendu".into());
        }
        for (key, v) in [
            ("seuils.admis", s.admis),
            ("seuils.controle", s.controle),
            (
                "seuils.controle_moyenne_professionnelle",
                s.controle_moyenne_professionnelle,
            ),
            ("seuils.ecart_a_examiner", s.ecart_a_examiner),
            ("seuils.bloc_acquis", s.bloc_acquis),
            ("benefice.note_minimale", self.benefice.note_minimale),
        ] {
            number(key, v)?;
            if v > max {
                return Err(format!("{key} : {v} dépasse la note maximale {max}"));
            }
        }
        if s.controle > s.admis {
            return Err("seuils.controle : doit être inférieur ou égal à seuils.admis".into());
        }
        if self.benefice.validite_sessions == 0 {
            return Err("benefice.validite_sessions : au moins 1 session attendue".into());
        }
        Ok(())
    }

    fn check_decisions(&self) -> Result<(), String> {
        let d = &self.decisions;
        let mut seen = BTreeSet::new();
        for (i, code) in d.priorite.iter().enumerate() {
            if !seen.insert(code.as_str()) {
                return Err(format!(
                    "decisions.priorite[{i}] : {code} apparaît deux fois"
                ));
            }
        }
        if !seen.contains(d.note_manquante.as_str()) {
            return Err(format!(
                "decisions.note_manquante : {} absente de decisions.priorite",
                d.note_manquante
            ));
        }
        for (code, st) in &self.statuts {
            match (st.effet, &st.decision) {
                (Effet::Decision, Some(dec)) if seen.contains(dec.as_str()) => {}
                (Effet::Decision, Some(dec)) => {
                    return Err(format!(
                        "statuts.{code}.decision : {dec} absente de decisions.priorite"
                    ))
                }
                (Effet::Decision, None) => {
                    return Err(format!(
                        "statuts.{code}.decision : obligatoire quand effet = \"decision\""
                    ))
                }
                (_, Some(_)) => {
                    return Err(format!(
                        "statuts.{code}.decision : seulement avec effet = \"decision\""
                    ))
                }
                (_, None) => {}
            }
        }
        Ok(())
    }

    fn check_units(&self) -> Result<(), String> {
        if self.unites.is_empty() {
            return Err("unites : au moins une unité attendue".into());
        }
        let mut units = BTreeSet::new();
        let mut exams: BTreeSet<&str> = self.controle.epreuves.iter().map(String::as_str).collect();
        for (i, u) in self.unites.iter().enumerate() {
            let key = format!("unites[{i}]");
            if !units.insert(u.code.as_str()) {
                return Err(format!("{key}.code : unité {} déjà définie", u.code));
            }
            if u.epreuves.is_empty() {
                return Err(format!("{key}.epreuves : au moins une épreuve attendue"));
            }
            let mut sum = Decimal::ZERO;
            for (j, e) in u.epreuves.iter().enumerate() {
                let ekey = format!("{key}.epreuves[{j}]");
                if !exams.insert(e.code.as_str()) {
                    return Err(format!("{ekey}.code : épreuve {} déjà définie", e.code));
                }
                positive(&format!("{ekey}.coefficient"), e.coefficient)?;
                if let Some(sur) = e.sur {
                    if !(1..=100).contains(&sur) || sur == 20 {
                        return Err(format!(
                            "{ekey}.sur : {sur} ; un barème autre que 20, de 1 à 100, est attendu \
                             (E5A : 40)"
                        ));
                    }
                }
                sum += e.coefficient;
            }
            match (u.nature, u.coefficient, u.points_au_dessus_de) {
                (Nature::Facultative, None, Some(seuil)) => {
                    number(&format!("{key}.points_au_dessus_de"), seuil)?;
                    // The bonus is the grade minus the threshold: one exam of weight 1 keeps the
                    // unit grade equal to the exam grade, so the bonus stays exact.
                    if u.epreuves.len() != 1 || sum != Decimal::ONE {
                        return Err(format!(
                            "{key}.epreuves : une unité facultative a une seule épreuve, de coefficient 1"
                        ));
                    }
                }
                (Nature::Facultative, _, _) => {
                    return Err(format!(
                        "{key} : une unité facultative a points_au_dessus_de et pas de coefficient"
                    ))
                }
                (_, Some(coef), None) => {
                    positive(&format!("{key}.coefficient"), coef)?;
                    if coef != sum {
                        return Err(format!(
                            "{key}.coefficient : {coef} différent de la somme des coefficients de ses épreuves ({sum})"
                        ));
                    }
                }
                (_, _, _) => {
                    return Err(format!(
                    "{key} : une unité obligatoire a un coefficient et pas de points_au_dessus_de"
                ))
                }
            }
        }
        Ok(())
    }

    fn check_control(&self) -> Result<(), String> {
        for (i, code) in self.controle.unites_remplacables.iter().enumerate() {
            let unit = self.unites.iter().find(|u| &u.code == code);
            if !unit.is_some_and(|u| u.nature != Nature::Facultative) {
                return Err(format!(
                    "controle.unites_remplacables[{i}] : {code} n'est pas une unité obligatoire de unites"
                ));
            }
        }
        Ok(())
    }
}

/// A non-negative number with at most [`MAX_DECIMALS`] decimals.
fn number(key: &str, v: Decimal) -> Result<(), String> {
    if v < Decimal::ZERO || v.normalize().scale() > MAX_DECIMALS {
        return Err(format!(
            "{key} : {v} n'est pas un nombre positif à {MAX_DECIMALS} décimales au plus"
        ));
    }
    Ok(())
}

/// A number as [`number`], and not zero.
fn positive(key: &str, v: Decimal) -> Result<(), String> {
    number(key, v)?;
    if v.is_zero() {
        return Err(format!("{key} : nombre strictement positif attendu"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::Regulation;

    const SHIPPED: &str = include_str!("../../data/regulation/ndrc.toml");

    fn parse(text: &str) -> Result<Regulation, String> {
        Regulation::from_toml(text, Path::new("ndrc.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn shipped_harmonisation_settings_are_the_defaults() {
        // A regulation file without [harmonisation] behaves as the shipped one.
        let reg = parse(SHIPPED).unwrap();
        assert_eq!(reg.harmonisation, super::super::Harmonisation::default());
        assert_eq!(reg.harmonisation.ccf.epreuves, ["E4", "E6"]);
    }

    #[test]
    fn shipped_regulation_has_the_ndrc_coefficients() {
        let reg = parse(SHIPPED).unwrap();
        let coefs: Vec<String> = reg
            .unites
            .iter()
            .map(|u| {
                format!(
                    "{}:{}",
                    u.code,
                    u.coefficient.map(|c| c.to_string()).unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(
            coefs,
            ["U1:3", "U2:3", "U3:3", "U4:5", "U5:4", "U6:3", "UF1:", "UF2:"]
        );
        assert_eq!(reg.seuils.ecart_a_examiner.to_string(), "0.5");
        assert_eq!(
            reg.decisions.priorite,
            ["ABSENT", "NV", "INCOMPLET", "EN_ATTENTE"]
        );
    }

    #[test]
    fn unknown_key_is_named() {
        let text = SHIPPED.replace("bloc_acquis = 10", "bloc_acquis = 10\nbloc_aquis = 10");
        let e = parse(&text).unwrap_err();
        assert!(e.contains("bloc_aquis"), "{e}");
    }

    #[test]
    fn sub_exam_coefficients_must_add_up_to_the_unit() {
        let text = SHIPPED.replace("pratique\", coefficient = 2", "pratique\", coefficient = 3");
        let e = parse(&text).unwrap_err();
        assert!(
            e.contains("unites[4].coefficient : 4 différent de la somme"),
            "{e}"
        );
    }

    #[test]
    fn three_decimal_threshold_is_refused() {
        let text = SHIPPED.replace("ecart_a_examiner = 0.5", "ecart_a_examiner = 0.125");
        let e = parse(&text).unwrap_err();
        assert!(e.contains("seuils.ecart_a_examiner : 0.125"), "{e}");
    }

    #[test]
    fn status_decision_must_be_in_the_precedence_list() {
        let text = SHIPPED.replace("decision = \"NV\"", "decision = \"NON_VALIDE\"");
        let e = parse(&text).unwrap_err();
        assert!(e.contains("statuts.NV.decision : NON_VALIDE"), "{e}");
    }

    #[test]
    fn optional_unit_cannot_be_replaced_by_a_control_exam() {
        let text = SHIPPED.replace("[\"U1\", \"U2\", \"U3\"]", "[\"U1\", \"UF1\"]");
        let e = parse(&text).unwrap_err();
        assert!(e.contains("controle.unites_remplacables[1] : UF1"), "{e}");
    }
}
