//! The examiner gaps of one exam of one session: raw, adjusted for candidate ability, with an
//! interval, and the flag rule.
//!
//! # The model, in plain words
//! Candidates are not shared among examiners at random: a strong class may meet one examiner.
//! Comparing examiners' means (the *raw gap*) mixes the examiner's severity with the level of the
//! candidates he or she happened to see. To separate them we need a measure of each candidate's
//! level that no examiner of the exam influenced: the anonymously marked written papers (E1, E3,
//! E5A by default, `[harmonisation] epreuves_niveau`), the exam itself left out.
//!
//! 1. For each candidate, `niveau` = mean of those papers (at least `copies_niveau_minimum`), and
//!    `d = grade − niveau`: how much better or worse the candidate did here than on paper.
//! 2. `d` is explained by least squares as *examiner effect + subject effect + noise* (the subject
//!    of the half-day may be harder). Working on `d` is the same as giving every candidate their
//!    own fixed level, measured by the papers.
//! 3. The *adjusted gap* of an examiner is its effect minus the average effect of the other
//!    examiners of the exam (unweighted): "+1.2" reads "marks 1.2 points above the others for
//!    candidates of the same level on the same subject". Its standard error comes from the model's
//!    covariance σ²(X'X)⁻¹, and the 95 % interval uses Student's t.
//! 4. An examiner is *flagged* when |adjusted gap| ≥ `ecart_signal` (1 point) AND the interval
//!    excludes 0 AND at least `effectif_minimum` (10) of their candidates are in the model. So an
//!    examiner with 3 candidates is never flagged, whatever the numbers.
//! 5. Checks. The difference model assumes that one point more on paper is one point more here.
//!    The ANCOVA slope (grade ~ examiner + subject + b·niveau) estimates b; when b is well below 1
//!    (`pente_alerte`), the difference model over-corrects the examiners who saw strong or weak
//!    candidates, and a warning is printed. With many examiners, some are flagged by chance: the
//!    expected number of chance flags (if no examiner differed) is the sum over examiners of
//!    P(|gap| ≥ max(ecart_signal, t·se)) under a zero true gap.
//! 6. Cross-check. A mixed model with a random candidate effect ([`super::mixed`]) estimates the
//!    same gaps from the individual paper grades; each line carries its gap, interval and the
//!    flag the same rule would give, and the exam's summary counts the examiners on which the
//!    two models do not agree.
//!
//! The raw gap is the examiner's mean difference to the other examiners' mean on the same subject.

use std::collections::BTreeMap;

use nalgebra::DVector;

use super::data::{Papiers, Passage};
use super::mixed::mixed_gaps;
use super::model::{normal_cdf, t975, Estimate, Normales};
use crate::regulation::Harmonisation;

/// The harmonisation line of one examiner.
#[derive(Debug, Clone, PartialEq)]
pub struct LigneExaminateur {
    /// Session year.
    pub session: i32,
    /// Exam code.
    pub epreuve: String,
    /// Examiner id.
    pub examinateur: String,
    /// Candidates graded.
    pub n: usize,
    /// Mean grade.
    pub moyenne: f64,
    /// Standard deviation of the grades (n ≥ 2).
    pub ecart_type: Option<f64>,
    /// Mean grade minus the other examiners' mean on the same subjects.
    pub ecart_brut: Option<f64>,
    /// Candidates in the adjusted model (those with a measured level).
    pub n_modele: usize,
    /// Adjusted gap with its standard error, when estimable.
    pub ecart_ajuste: Option<Estimate>,
    /// 95 % interval of the adjusted gap.
    pub ic95: Option<(f64, f64)>,
    /// The flag.
    pub signal: bool,
    /// Why the examiner is or is not flagged (French).
    pub motif: String,
    /// The gap estimated by the mixed model (cross-check), when estimable.
    pub ecart_mixte: Option<Estimate>,
    /// 95 % interval of the mixed gap.
    pub ic95_mixte: Option<(f64, f64)>,
    /// The flag the same rule gives on the mixed gap.
    pub signal_mixte: bool,
}

/// The summary of one exam of one session.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheseEpreuve {
    /// Session year.
    pub session: i32,
    /// Exam code.
    pub epreuve: String,
    /// ANCOVA slope of the grade on the measured level.
    pub pente: Option<Estimate>,
    /// Flagged examiners.
    pub signaux: usize,
    /// Flags expected by chance alone if no examiner differed.
    pub signaux_attendus: f64,
    /// Mixed model: variance of the candidate effect and residual variance.
    pub variances_mixte: Option<(f64, f64)>,
    /// Examiners flagged by one model and not by the other.
    pub desaccords_mixte: usize,
}

/// Analyses every (session, exam) group of `passages` (sorted by session and exam);
/// `papiers` holds the candidates' written-paper grades for the mixed-model cross-check.
pub fn analyse(
    passages: &[Passage],
    papiers: &Papiers,
    reglage: &Harmonisation,
) -> (Vec<LigneExaminateur>, Vec<SyntheseEpreuve>) {
    let mut groups: BTreeMap<(i32, &str), Vec<&Passage>> = BTreeMap::new();
    for p in passages {
        groups
            .entry((p.session, p.epreuve.as_str()))
            .or_default()
            .push(p);
    }
    let mut lignes = Vec::new();
    let mut syntheses = Vec::new();
    for ((session, epreuve), group) in groups {
        let (mut l, s) = analyse_epreuve(session, epreuve, &group, papiers, reglage);
        lignes.append(&mut l);
        syntheses.push(s);
    }
    (lignes, syntheses)
}

/// Index of each distinct value, in sorted order.
pub(crate) fn index_of<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut map: BTreeMap<&str, usize> = values.map(|v| (v, 0)).collect();
    for (i, v) in map.values_mut().enumerate() {
        *v = i;
    }
    map
}

#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn analyse_epreuve(
    session: i32,
    epreuve: &str,
    group: &[&Passage],
    papiers: &Papiers,
    reglage: &Harmonisation,
) -> (Vec<LigneExaminateur>, SyntheseEpreuve) {
    let raw = raw_gaps(group);
    let modele: Vec<&Passage> = group
        .iter()
        .copied()
        .filter(|p| p.niveau.is_some())
        .collect();
    let (adjusted, pente) = adjusted_gaps(&modele);
    let t = adjusted.values().next().map_or(1.96, |(_, df)| t975(*df));
    let mixte = mixed_gaps(&modele, papiers);
    let t_mixte = mixte.as_ref().map_or(1.96, |m| t975(m.df));
    let mut by_examiner: BTreeMap<&str, Vec<&Passage>> = BTreeMap::new();
    for p in group {
        by_examiner
            .entry(p.examinateur.as_str())
            .or_default()
            .push(p);
    }
    let mut lignes = Vec::new();
    let mut attendus = 0.0;
    for (examinateur, ps) in by_examiner {
        let n = ps.len();
        let moyenne = ps.iter().map(|p| p.note).sum::<f64>() / n as f64;
        let ecart_type = (n >= 2).then(|| {
            let ss: f64 = ps.iter().map(|p| (p.note - moyenne).powi(2)).sum();
            (ss / (n - 1) as f64).sqrt()
        });
        let n_modele = ps.iter().filter(|p| p.niveau.is_some()).count();
        let ecart_ajuste = adjusted.get(examinateur).map(|(e, _)| *e);
        let ic95 = ecart_ajuste.map(|e| (e.value - t * e.se, e.value + t * e.se));
        let eligible = n_modele >= reglage.effectif_minimum;
        if let (Some(e), true) = (ecart_ajuste, eligible) {
            if e.se > 0.0 {
                let seuil = (reglage.ecart_signal / e.se).max(t);
                attendus += 2.0 * (1.0 - normal_cdf(seuil));
            }
        }
        let (signal, motif) = flag(ecart_ajuste, ic95, n_modele, reglage);
        let ecart_mixte = mixte
            .as_ref()
            .and_then(|m| m.gaps.get(examinateur).copied());
        let ic95_mixte = ecart_mixte.map(|e| (e.value - t_mixte * e.se, e.value + t_mixte * e.se));
        let (signal_mixte, _) = flag(ecart_mixte, ic95_mixte, n_modele, reglage);
        lignes.push(LigneExaminateur {
            session,
            epreuve: epreuve.to_string(),
            examinateur: examinateur.to_string(),
            n,
            moyenne,
            ecart_type,
            ecart_brut: raw.get(examinateur).copied(),
            n_modele,
            ecart_ajuste,
            ic95,
            signal,
            motif,
            ecart_mixte,
            ic95_mixte,
            signal_mixte,
        });
    }
    let synthese = SyntheseEpreuve {
        session,
        epreuve: epreuve.to_string(),
        pente,
        signaux: lignes.iter().filter(|l| l.signal).count(),
        signaux_attendus: attendus,
        variances_mixte: mixte.map(|m| (m.variance_candidat, m.variance_residuelle)),
        desaccords_mixte: lignes.iter().filter(|l| l.signal != l.signal_mixte).count(),
    };
    (lignes, synthese)
}

/// The flag rule and its reason.
fn flag(
    gap: Option<Estimate>,
    ic95: Option<(f64, f64)>,
    n_modele: usize,
    reglage: &Harmonisation,
) -> (bool, String) {
    let (Some(gap), Some((bas, haut))) = (gap, ic95) else {
        return (false, "écart ajusté non estimable".into());
    };
    if n_modele < reglage.effectif_minimum {
        return (
            false,
            format!(
                "moins de {} candidats dans le modèle",
                reglage.effectif_minimum
            ),
        );
    }
    if gap.value.abs() < reglage.ecart_signal {
        return (
            false,
            format!("écart ajusté inférieur à {} point(s)", reglage.ecart_signal),
        );
    }
    if bas <= 0.0 && haut >= 0.0 {
        return (false, "l'intervalle à 95 % contient 0".into());
    }
    let sens = if gap.value > 0.0 {
        "plus indulgent"
    } else {
        "plus sévère"
    };
    (true, format!("{sens} que les autres examinateurs"))
}

/// Per examiner: the mean over their candidates of (grade − the others' mean on that subject).
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn raw_gaps<'a>(group: &[&'a Passage]) -> BTreeMap<&'a str, f64> {
    // (subject) -> (sum, count); (examiner, subject) -> (sum, count).
    let mut by_subject: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    let mut by_cell: BTreeMap<(&str, &str), (f64, usize)> = BTreeMap::new();
    for p in group {
        let s = by_subject.entry(p.sujet.as_str()).or_default();
        s.0 += p.note;
        s.1 += 1;
        let c = by_cell
            .entry((p.examinateur.as_str(), p.sujet.as_str()))
            .or_default();
        c.0 += p.note;
        c.1 += 1;
    }
    let mut sums: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for p in group {
        let (ss, sn) = by_subject[p.sujet.as_str()];
        let (cs, cn) = by_cell[&(p.examinateur.as_str(), p.sujet.as_str())];
        if sn > cn {
            let others = (ss - cs) / (sn - cn) as f64;
            let e = sums.entry(p.examinateur.as_str()).or_default();
            e.0 += p.note - others;
            e.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(k, (s, n))| (k, s / n as f64))
        .collect()
}

/// The difference model's contrasts (with residual df) and the ANCOVA slope.
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn adjusted_gaps<'a>(
    modele: &[&'a Passage],
) -> (BTreeMap<&'a str, (Estimate, usize)>, Option<Estimate>) {
    let examiners = index_of(modele.iter().map(|p| p.examinateur.as_str()));
    let subjects = index_of(modele.iter().map(|p| p.sujet.as_str()));
    let (j, s) = (examiners.len(), subjects.len());
    let mut gaps = BTreeMap::new();
    if j < 2 {
        return (gaps, None);
    }
    // Columns: one per examiner, then one per subject but the first, then (ANCOVA) the level.
    // The design is sparse (two or three non-zero cells a row): the normal equations are summed
    // row by row, never as a dense n × p matrix.
    let cols = j + s - 1;
    let mut difference = Normales::zeros(cols);
    let mut ancova = Normales::zeros(cols + 1);
    let mut cells = Vec::with_capacity(3);
    for p in modele {
        let niveau = p.niveau.unwrap_or(0.0);
        cells.clear();
        cells.push((examiners[p.examinateur.as_str()], 1.0));
        let k = subjects[p.sujet.as_str()];
        if k > 0 {
            cells.push((j + k - 1, 1.0));
        }
        difference.add_row(&cells, p.note - niveau);
        cells.push((cols, niveau));
        ancova.add_row(&cells, p.note);
    }
    if let Some(f) = difference.fit() {
        for (name, &k) in &examiners {
            let mut c = DVector::<f64>::from_element(cols, 0.0);
            for other in 0..j {
                c[other] = if other == k {
                    1.0
                } else {
                    -1.0 / (j - 1) as f64
                };
            }
            if let Some(e) = f.contrast(&c) {
                gaps.insert(*name, (e, f.df));
            }
        }
    }
    let pente = ancova.fit().and_then(|f| {
        let mut c = DVector::<f64>::zeros(cols + 1);
        c[cols] = 1.0;
        f.contrast(&c)
    });
    (gaps, pente)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(ex: &str, sujet: &str, note: f64, niveau: Option<f64>) -> Passage {
        Passage {
            session: 2024,
            epreuve: "E5B".into(),
            examinateur: ex.into(),
            sujet: sujet.into(),
            candidat: String::new(),
            note,
            niveau,
        }
    }

    fn reglage() -> Harmonisation {
        Harmonisation::default()
    }

    #[test]
    fn a_lenient_examiner_of_strong_candidates_is_not_flagged_once_ability_is_counted() {
        // A's candidates are 3 points stronger on paper and score 3 points more than the
        // others' candidates: raw gap 3, adjusted gap about 0.
        let mut ps = Vec::new();
        for i in 0..12 {
            let e = f64::from(i % 3) - 1.0;
            ps.push(passage("A", "S1", 14.0 + e, Some(14.0 + e * 0.9)));
            ps.push(passage("B", "S1", 11.0 + e, Some(11.0 - e * 0.1)));
            ps.push(passage("C", "S1", 11.0 - e, Some(11.0 - e)));
        }
        let (lignes, _) = analyse(&ps, &Papiers::new(), &reglage());
        let a = &lignes[0];
        assert!((a.ecart_brut.unwrap() - 3.0).abs() < 1e-9);
        assert!(a.ecart_ajuste.unwrap().value.abs() < 0.2, "{a:?}");
        assert!(!a.signal);
    }

    #[test]
    fn an_examiner_with_three_candidates_is_never_flagged() {
        let mut ps = Vec::new();
        for i in 0..3 {
            ps.push(passage("A", "S1", 20.0, Some(10.0 + f64::from(i) * 0.01)));
        }
        for i in 0..30 {
            let e = f64::from(i % 5) * 0.1;
            ps.push(passage("B", "S1", 10.0 + e, Some(10.0)));
            ps.push(passage("C", "S1", 10.0 - e, Some(10.0)));
        }
        let (lignes, _) = analyse(&ps, &Papiers::new(), &reglage());
        let a = &lignes[0];
        assert!(a.ecart_ajuste.unwrap().value > 9.0);
        assert!(!a.signal);
        assert_eq!(a.motif, "moins de 10 candidats dans le modèle");
    }

    #[test]
    fn the_ancova_slope_is_the_pooled_within_examiner_slope() {
        // One subject: the slope of grade on level with one intercept per examiner is
        // Σ (x − x̄_e)(y − ȳ_e) / Σ (x − x̄_e)², summed over examiners. Levels around 10.5 with a
        // spread of a few points, as in the samples (a wide range of scales in X'X).
        let mut ps = Vec::new();
        for i in 0..90 {
            let f = f64::from(i);
            let niveau = 10.5 + 3.0 * (f * 0.37).sin();
            let note = 2.0 + 0.8 * niveau + (f * 1.3).cos() + f64::from(i % 3);
            ps.push(passage(
                ["A", "B", "C"][i as usize % 3],
                "S1",
                note,
                Some(niveau),
            ));
        }
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for e in ["A", "B", "C"] {
            let group: Vec<&Passage> = ps.iter().filter(|p| p.examinateur == e).collect();
            let n = group.len() as f64;
            let mx = group.iter().map(|p| p.niveau.unwrap()).sum::<f64>() / n;
            let my = group.iter().map(|p| p.note).sum::<f64>() / n;
            for p in group {
                sxy += (p.niveau.unwrap() - mx) * (p.note - my);
                sxx += (p.niveau.unwrap() - mx).powi(2);
            }
        }
        let (_, syntheses) = analyse(&ps, &Papiers::new(), &reglage());
        let pente = syntheses[0].pente.unwrap().value;
        assert!((pente - sxy / sxx).abs() < 1e-9, "{pente} vs {}", sxy / sxx);
    }

    #[test]
    fn a_severe_examiner_with_enough_candidates_is_flagged() {
        let mut ps = Vec::new();
        for i in 0..20 {
            let e = f64::from(i % 4) * 0.25;
            ps.push(passage("A", "S1", 8.0 + e, Some(10.0)));
            ps.push(passage("B", "S1", 10.0 - e, Some(10.0)));
            ps.push(passage("C", "S2", 10.0 + e, Some(10.0)));
            ps.push(passage("A", "S2", 8.0 - e, Some(10.0)));
        }
        let (lignes, synthese) = analyse(&ps, &Papiers::new(), &reglage());
        assert!(lignes[0].signal, "{:?}", lignes[0]);
        assert_eq!(lignes[0].motif, "plus sévère que les autres examinateurs");
        assert!((lignes[0].ecart_ajuste.unwrap().value + 2.0).abs() < 0.01);
        assert_eq!(
            synthese[0].signaux,
            lignes.iter().filter(|l| l.signal).count()
        );
    }
}
