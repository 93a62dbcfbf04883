//! Cross-check of the adjusted gaps by a linear mixed model with a random candidate effect.
//!
//! # The model, in plain words
//! The difference model of [`super::examiners`] gives every candidate a *fixed* level, measured
//! by the written papers. The mixed model treats the candidate's level as *random* instead:
//!
//! `grade(candidate c, exam e) = exam effect + examiner effect + subject effect + u_c + noise`,
//! with `u_c ~ N(0, σ²_candidat)` and `noise ~ N(0, σ²)`.
//!
//! Its rows are, for every candidate of the exam analysed who is in the difference model, the
//! grade of that exam (with its examiner and subject) and the grade of each anonymous written
//! paper (`epreuves_niveau`, the exam itself left out; these rows carry an exam effect only). The
//! examiner effects absorb the analysed exam's own mean.
//!
//! **Fitting** by restricted maximum likelihood (REML, the default of R's lme4). For a given
//! ratio λ = σ²_candidat / σ², subtracting θ_c times the mean of a candidate's rows from each of
//! them, with θ_c = 1 − 1/√(1 + n_c·λ) (n_c: the candidate's rows), leaves independent errors of
//! variance σ² (Fuller and Battese, 1974), so the fixed effects are an ordinary least-squares
//! fit of the transformed rows. λ maximises the restricted log-likelihood
//! `−½ [(N − r)·ln(RSS/(N − r)) + Σ_c ln(1 + n_c·λ) + ln det(X*'X*)]`
//! (N rows, r the rank of the design, X* the transformed design, the determinant taken on its
//! independent columns), found by golden-section search on ln λ; λ = 0 (no candidate effect) is
//! tried too. The transformed normal equations come from sums kept per candidate size (see
//! [`Sommes`]), so each λ costs one Cholesky factorisation, not a pass over the rows.
//!
//! The *mixed gap* of an examiner is the same contrast as the adjusted gap (its effect minus the
//! unweighted mean of the other examiners' effects), with σ²·c'(X*'X*)⁻c for its variance (a
//! generalised inverse, [`super::model`]) and Student's t for the 95 % interval.
//!
//! **Reading the two together.** When the papers measure the level well (σ²_candidat large
//! against σ²), θ_c is close to 1 and both models agree. When they disagree on a flag, the flag
//! depends on how ability is modelled: the jury should look at that examiner's candidates before
//! acting.

use std::collections::BTreeMap;

use nalgebra::DVector;

use super::data::{Papiers, Passage};
use super::model::{Estimate, Fit, Normales};

/// One row of a mixed-model design: its non-zero `(column, value)` cells and its response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Non-zero cells of the fixed-effects design.
    pub(crate) cells: Vec<(usize, f64)>,
    /// The grade.
    pub(crate) y: f64,
}

/// A mixed model fitted by REML.
#[derive(Debug, Clone)]
pub(crate) struct Reml {
    /// The generalised least-squares fit at the REML ratio (σ² is its residual variance).
    pub(crate) fit: Fit,
    /// λ = σ²_candidat / σ².
    pub(crate) lambda: f64,
}

impl Reml {
    /// The variance of the candidate effect, σ²_candidat = λ·σ².
    pub(crate) fn variance_candidat(&self) -> f64 {
        self.lambda * self.fit.sigma2
    }
}

/// Bounds of the search on ln λ: λ from about 1e-4 to 1,100.
const LN_LAMBDA: (f64, f64) = (-9.0, 7.0);
/// Golden-section steps: the bracket on ln λ shrinks to 16 × 0.618^45 ≈ 6e-9.
const STEPS: usize = 45;

/// Fits `rows` (grouped by candidate, `p` fixed-effect columns) by REML; `None` when the design
/// leaves no residual degree of freedom.
pub(crate) fn reml(candidats: &[Vec<Row>], p: usize) -> Option<Reml> {
    let sommes = Sommes::new(candidats, p);
    // The transformation is invertible for every finite λ: the columns that are independent at
    // λ = 0 stay so, and the log determinants over them differ from the pseudo-determinant by a
    // constant that does not move the maximum.
    let colonnes = sommes.brutes.independent_columns();
    let criterion = |lambda: f64| -> Option<f64> {
        let profile = sommes.at(lambda).profile(&colonnes)?;
        // Degrees of freedom and group sizes are far below 2^52.
        #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
        let (df, log_det_h) = (
            (sommes.brutes.n - profile.rank) as f64,
            sommes
                .par_taille
                .iter()
                .map(|(&n, part)| part.n as f64 * (1.0 + n as f64 * lambda).ln())
                .sum::<f64>(),
        );
        (profile.rss > 0.0)
            .then(|| -0.5 * (df * (profile.rss / df).ln() + log_det_h + profile.log_pdet))
    };
    let score = |t: f64| criterion(t.exp()).unwrap_or(f64::NEG_INFINITY);
    let golden = (5.0_f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = LN_LAMBDA;
    let mut c = b - golden * (b - a);
    let mut d = a + golden * (b - a);
    let (mut fc, mut fd) = (score(c), score(d));
    for _ in 0..STEPS {
        if fc >= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - golden * (b - a);
            fc = score(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + golden * (b - a);
            fd = score(d);
        }
    }
    let inner = ((a + b) / 2.0).exp();
    let (_, lambda) = [0.0, inner]
        .into_iter()
        .filter_map(|lambda| criterion(lambda).map(|v| (v, lambda)))
        .max_by(|x, y| x.0.total_cmp(&y.0))?;
    Some(Reml {
        fit: sommes.at(lambda).fit()?,
        lambda,
    })
}

/// The generalised least-squares fit for a given λ, by the Fuller–Battese transformation.
#[cfg(test)]
fn gls(candidats: &[Vec<Row>], p: usize, lambda: f64) -> Option<Fit> {
    Sommes::new(candidats, p).at(lambda).fit()
}

/// Sums that give the transformed normal equations for any λ without revisiting the rows.
///
/// Subtracting θ·(mean row) from each of a candidate's n rows gives, with s the sum of its rows
/// and t the sum of its grades, X*'X* = X'X − w·s·s', X*'y* = X'y − w·s·t and
/// y*'y* = y'y − w·t², where w = (2θ − θ²)/n = λ/(1 + n·λ) depends on n only. So the sums of
/// s·s', s·t and t² are kept per number of rows, and each λ costs a few p × p additions.
struct Sommes {
    /// X'X, X'y, y'y of the untransformed rows.
    brutes: Normales,
    /// Per number of rows n: Σ s·s', Σ s·t, Σ t² over the candidates with n rows.
    par_taille: BTreeMap<usize, Normales>,
}

impl Sommes {
    fn new(candidats: &[Vec<Row>], p: usize) -> Self {
        let mut brutes = Normales::zeros(p);
        let mut par_taille: BTreeMap<usize, Normales> = BTreeMap::new();
        let mut somme: BTreeMap<usize, f64> = BTreeMap::new();
        for rows in candidats.iter().filter(|rows| !rows.is_empty()) {
            somme.clear();
            let mut t = 0.0;
            for row in rows {
                brutes.add_row(&row.cells, row.y);
                for &(j, v) in &row.cells {
                    *somme.entry(j).or_default() += v;
                }
                t += row.y;
            }
            let cells: Vec<(usize, f64)> = somme.iter().map(|(&j, &v)| (j, v)).collect();
            par_taille
                .entry(rows.len())
                .or_insert_with(|| Normales::zeros(p))
                .add_row(&cells, t);
        }
        Sommes { brutes, par_taille }
    }

    /// The normal equations of the rows transformed for `lambda`.
    fn at(&self, lambda: f64) -> Normales {
        let mut normales = self.brutes.clone();
        for (&n, part) in &self.par_taille {
            #[expect(
                clippy::cast_precision_loss,
                reason = "a candidate has a handful of rows"
            )]
            let w = lambda / (1.0 + n as f64 * lambda);
            normales.xtx -= &part.xtx * w;
            normales.xty -= &part.xty * w;
            normales.yty -= part.yty * w;
        }
        normales
    }
}

/// The mixed model of one exam: examiner gaps and variance components.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GapsMixtes<'a> {
    /// Per examiner: the contrast against the others, when estimable.
    pub(crate) gaps: BTreeMap<&'a str, Estimate>,
    /// Residual degrees of freedom (for Student's t).
    pub(crate) df: usize,
    /// σ²_candidat.
    pub(crate) variance_candidat: f64,
    /// σ².
    pub(crate) variance_residuelle: f64,
}

/// Fits the mixed model of the passages `modele` (one exam of one session, candidates with a
/// measured level) with the candidates' written papers; `None` with fewer than two examiners or
/// no residual degree of freedom.
pub(crate) fn mixed_gaps<'a>(modele: &[&'a Passage], papiers: &Papiers) -> Option<GapsMixtes<'a>> {
    let examiners = super::examiners::index_of(modele.iter().map(|p| p.examinateur.as_str()));
    let subjects = super::examiners::index_of(modele.iter().map(|p| p.sujet.as_str()));
    let (j, s) = (examiners.len(), subjects.len());
    if j < 2 {
        return None;
    }
    let exams = super::examiners::index_of(
        modele
            .iter()
            .flat_map(|p| papers_of(papiers, p).map(|(e, _)| e.as_str())),
    );
    let p = j + s - 1 + exams.len();
    let candidats: Vec<Vec<Row>> = modele
        .iter()
        .map(|passage| {
            let mut cells = vec![(examiners[passage.examinateur.as_str()], 1.0)];
            let k = subjects[passage.sujet.as_str()];
            if k > 0 {
                cells.push((j + k - 1, 1.0));
            }
            let mut rows = vec![Row {
                cells,
                y: passage.note,
            }];
            rows.extend(papers_of(papiers, passage).map(|(e, note)| Row {
                cells: vec![(j + s - 1 + exams[e.as_str()], 1.0)],
                y: *note,
            }));
            rows
        })
        .collect();
    let model = reml(&candidats, p)?;
    let mut gaps = BTreeMap::new();
    for (name, &k) in &examiners {
        let c = DVector::<f64>::from_fn(p, |i, _| match i {
            _ if i == k => 1.0,
            #[expect(clippy::cast_precision_loss, reason = "few examiners")]
            _ if i < j => -1.0 / (j - 1) as f64,
            _ => 0.0,
        });
        if let Some(e) = model.fit.contrast(&c) {
            gaps.insert(*name, e);
        }
    }
    Some(GapsMixtes {
        gaps,
        df: model.fit.df,
        variance_candidat: model.variance_candidat(),
        variance_residuelle: model.fit.sigma2,
    })
}

/// The written papers of a passage's candidate, the passage's own exam left out.
fn papers_of<'p>(papiers: &'p Papiers, p: &'p Passage) -> impl Iterator<Item = &'p (String, f64)> {
    papiers
        .get(&(p.session, p.candidat.clone()))
        .into_iter()
        .flatten()
        .filter(move |(e, _)| *e != p.epreuve)
}

#[cfg(test)]
mod tests {
    use nalgebra::DMatrix;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    use super::*;

    fn row(cells: &[(usize, f64)], y: f64) -> Row {
        Row {
            cells: cells.to_vec(),
            y,
        }
    }

    #[test]
    fn the_transformation_gives_the_generalised_least_squares_estimate() {
        // Three candidates with 3, 2 and 1 rows; columns: intercept, x.
        let candidats = vec![
            vec![
                row(&[(0, 1.0), (1, 1.0)], 3.0),
                row(&[(0, 1.0), (1, 2.0)], 5.5),
                row(&[(0, 1.0), (1, 4.0)], 8.0),
            ],
            vec![
                row(&[(0, 1.0), (1, 0.0)], 1.0),
                row(&[(0, 1.0), (1, 3.0)], 4.0),
            ],
            vec![row(&[(0, 1.0), (1, 5.0)], 12.0)],
        ];
        let lambda = 0.7;
        let fit = gls(&candidats, 2, lambda).unwrap();
        // Direct GLS: β = (X'V⁻¹X)⁻¹X'V⁻¹y with V = block-diag(I + λJ).
        let n: usize = candidats.iter().map(Vec::len).sum();
        let (mut x, mut y, mut v) = (
            DMatrix::<f64>::zeros(n, 2),
            DVector::<f64>::zeros(n),
            DMatrix::<f64>::zeros(n, n),
        );
        let mut start = 0;
        for rows in &candidats {
            for (a, r) in rows.iter().enumerate() {
                for &(j, val) in &r.cells {
                    x[(start + a, j)] = val;
                }
                y[start + a] = r.y;
                for b in 0..rows.len() {
                    v[(start + a, start + b)] = lambda + if a == b { 1.0 } else { 0.0 };
                }
            }
            start += rows.len();
        }
        let vi = v.try_inverse().unwrap();
        let xtvx = x.transpose() * &vi * &x;
        let beta = xtvx.clone().try_inverse().unwrap() * x.transpose() * &vi * &y;
        for j in 0..2 {
            let mut c = DVector::zeros(2);
            c[j] = 1.0;
            let e = fit.contrast(&c).unwrap();
            assert!(
                (e.value - beta[j]).abs() < 1e-9,
                "{j}: {} vs {}",
                e.value,
                beta[j]
            );
        }
        let resid = &y - &x * &beta;
        let rss = (resid.transpose() * &vi * &resid)[(0, 0)];
        assert!((fit.sigma2 * 4.0 - rss).abs() < 1e-9);
    }

    /// Candidate ability plus examiner severity, strong candidates sent to the lenient examiner.
    fn simulated(seed: u64) -> (Vec<Passage>, Papiers, [f64; 3]) {
        let effects = [1.0, 0.0, -1.0];
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut passages = Vec::new();
        let mut papiers = Papiers::new();
        for i in 0..300 {
            let theta: f64 = rng.sample::<f64, _>(StandardNormal) * 2.0;
            // The strongest candidates mostly meet examiner A (lenient).
            let k = if theta > 1.0 && i % 4 != 0 { 0 } else { i % 3 };
            let mut noise = || rng.sample::<f64, _>(StandardNormal);
            let candidat = format!("{i:04}");
            papiers.insert(
                (2024, candidat.clone()),
                vec![
                    ("E1".into(), 10.0 + theta + noise()),
                    ("E3".into(), 9.0 + theta + noise()),
                ],
            );
            passages.push(Passage {
                session: 2024,
                epreuve: "E5B".into(),
                examinateur: ["A", "B", "C"][k].into(),
                sujet: format!("S{}", i % 2),
                candidat,
                note: 11.0 + theta + effects[k] + noise(),
                niveau: None,
            });
        }
        (passages, papiers, effects)
    }

    #[test]
    fn mixed_gaps_recover_planted_severities_despite_non_random_assignment() {
        let mut errors = Vec::new();
        for seed in 0..5 {
            let (passages, papiers, effects) = simulated(seed);
            let refs: Vec<&Passage> = passages.iter().collect();
            let m = mixed_gaps(&refs, &papiers).unwrap();
            for (k, name) in ["A", "B", "C"].iter().enumerate() {
                let others: f64 = effects
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != k)
                    .map(|(_, e)| e)
                    .sum();
                let truth = effects[k] - others / 2.0;
                let e = m.gaps[name];
                errors.push((e.value - truth).abs());
                assert!(e.se > 0.05 && e.se < 0.5, "{e:?}");
            }
            // True variances: candidate 4, residual 1.
            assert!((m.variance_candidat - 4.0).abs() < 1.5, "{m:?}");
            assert!((m.variance_residuelle - 1.0).abs() < 0.3, "{m:?}");
        }
        let mae = errors.iter().sum::<f64>() / errors.len() as f64;
        assert!(mae < 0.2, "mean absolute error {mae}");
    }

    #[test]
    fn a_single_examiner_gives_no_gap() {
        let (passages, papiers, _) = simulated(1);
        let refs: Vec<&Passage> = passages.iter().filter(|p| p.examinateur == "A").collect();
        assert!(mixed_gaps(&refs, &papiers).is_none());
    }

    /// Published rater facts of `style_ratings.csv` (Wind and Hua 2022, chapter 6, TAM):
    /// (rater, average style rating, severity in logits; higher is more severe).
    const STYLE_PUBLIE: [(usize, f64, f64); 21] = [
        (9, 1.35, 1.12),
        (19, 1.45, 0.66),
        (21, 1.49, 0.50),
        (17, 1.51, 0.45),
        (16, 1.51, 0.44),
        (20, 1.51, 0.44),
        (8, 1.55, 0.27),
        (3, 1.57, 0.17),
        (18, 1.59, 0.11),
        (4, 1.60, 0.03),
        (11, 1.66, -0.21),
        (7, 1.67, -0.22),
        (1, 1.68, -0.28),
        (14, 1.55, 0.26),
        (12, 1.68, -0.28),
        (2, 1.69, -0.31),
        (6, 1.69, -0.34),
        (13, 1.69, -0.34),
        (5, 1.80, -0.78),
        (15, 1.81, -0.82),
        (10, 1.82, -0.87),
    ];

    /// Published rater severities of the partial-credit model on `writing.csv`, raters 1 to 21.
    const WRITING_PUBLIE: [f64; 21] = [
        -0.192, -0.020, -0.002, 0.104, -0.274, -0.453, -0.480, 0.274, 0.764, -0.474, -0.076,
        -0.168, 0.164, 0.175, -0.549, 0.406, 0.122, 0.503, 0.064, 0.156, -0.044,
    ];

    fn external(name: &str) -> polars::prelude::DataFrame {
        use polars::prelude::*;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/external/harmonization")
            .join(name);
        CsvReadOptions::default()
            .with_has_header(true)
            .try_into_reader_with_file_path(Some(path))
            .and_then(|r| r.finish())
            .expect("../shared/external/harmonization is readable")
    }

    fn column(frame: &polars::prelude::DataFrame, name: &str) -> Vec<f64> {
        use polars::prelude::DataType;
        frame
            .column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .expect("numeric column")
            .f64()
            .expect("f64")
            .into_no_null_iter()
            .collect()
    }

    /// Every pair of raters whose published severities differ is in the reverse order of gaps.
    fn assert_reverse_order(gaps: &[f64], severities: &[f64]) {
        for a in 0..gaps.len() {
            for b in 0..gaps.len() {
                if severities[a] > severities[b] {
                    assert!(
                        gaps[a] < gaps[b],
                        "raters {} and {}: gaps {} {}",
                        a + 1,
                        b + 1,
                        gaps[a],
                        gaps[b]
                    );
                }
            }
        }
    }

    fn rater_gaps(model: &Reml, raters: usize, p: usize) -> Vec<f64> {
        (0..raters)
            .map(|k| {
                let c = DVector::<f64>::from_fn(p, |i, _| match i {
                    _ if i == k => 1.0,
                    _ if i < raters => -1.0 / (raters - 1) as f64,
                    _ => 0.0,
                });
                model.fit.contrast(&c).expect("estimable").value
            })
            .collect()
    }

    #[test]
    fn real_style_ratings_reml_equals_anova_and_gaps_reverse_published_severities() {
        let frame = external("style_ratings.csv");
        let ratings: Vec<Vec<f64>> = (1..=21)
            .map(|k| column(&frame, &format!("rater_{k}")))
            .collect();
        let (i, j) = (ratings[0].len(), ratings.len());
        assert_eq!(i, 372);
        // Published average ratings, to 2 decimals.
        for &(rater, moyenne, _) in &STYLE_PUBLIE {
            let m = ratings[rater - 1].iter().sum::<f64>() / i as f64;
            assert!((m - moyenne).abs() <= 0.005 + 1e-9, "rater {rater}: {m}");
        }
        let candidats: Vec<Vec<Row>> = (0..i)
            .map(|s| (0..j).map(|k| row(&[(k, 1.0)], ratings[k][s])).collect())
            .collect();
        let model = reml(&candidats, j).unwrap();
        // Balanced two-way layout: REML equals the ANOVA estimates (students random).
        let (fi, fj) = (i as f64, j as f64);
        let grand = ratings.iter().flatten().sum::<f64>() / (fi * fj);
        let student: Vec<f64> = (0..i)
            .map(|s| ratings.iter().map(|r| r[s]).sum::<f64>() / fj)
            .collect();
        let rater: Vec<f64> = ratings.iter().map(|r| r.iter().sum::<f64>() / fi).collect();
        let ms_students =
            fj * student.iter().map(|m| (m - grand).powi(2)).sum::<f64>() / (fi - 1.0);
        let ms_residual = (0..i)
            .flat_map(|s| (0..j).map(move |k| (s, k)))
            .map(|(s, k)| (ratings[k][s] - student[s] - rater[k] + grand).powi(2))
            .sum::<f64>()
            / ((fi - 1.0) * (fj - 1.0));
        let sigma_u2 = (ms_students - ms_residual) / fj;
        assert!((model.fit.sigma2 - ms_residual).abs() < 1e-6 * ms_residual);
        assert!((model.variance_candidat() - sigma_u2).abs() < 1e-5 * sigma_u2);
        // Gaps: rater mean minus the others' mean, with σ²/I·(1 + 1/(J − 1)) as variance.
        let gaps = rater_gaps(&model, j, j);
        for k in 0..j {
            let others = (rater.iter().sum::<f64>() - rater[k]) / (fj - 1.0);
            assert!((gaps[k] - (rater[k] - others)).abs() < 1e-9);
        }
        let c = DVector::<f64>::from_fn(j, |k, _| if k == 0 { 1.0 } else { -1.0 / (fj - 1.0) });
        let se = model.fit.contrast(&c).unwrap().se;
        assert!((se - (ms_residual / fi * (1.0 + 1.0 / (fj - 1.0))).sqrt()).abs() < 1e-6);
        let mut severities = vec![0.0; j];
        for &(r, _, severite) in &STYLE_PUBLIE {
            severities[r - 1] = severite;
        }
        assert_reverse_order(&gaps, &severities);
    }

    #[test]
    fn real_writing_ratings_give_gaps_in_the_reverse_order_of_published_severities() {
        let frame = external("writing.csv");
        let (students, raters) = (column(&frame, "student"), column(&frame, "rater"));
        let domains: Vec<Vec<f64>> = ["style", "org", "conv", "sent_form"]
            .iter()
            .map(|d| column(&frame, d))
            .collect();
        // Columns: 21 raters, then domains 2 to 4.
        let mut by_student: BTreeMap<i64, Vec<Row>> = BTreeMap::new();
        for r in 0..students.len() {
            let rater = raters[r] as usize - 1;
            for (d, values) in domains.iter().enumerate() {
                let mut cells = vec![(rater, 1.0)];
                if d > 0 {
                    cells.push((21 + d - 1, 1.0));
                }
                by_student
                    .entry(students[r] as i64)
                    .or_default()
                    .push(row(&cells, values[r]));
            }
        }
        assert_eq!(by_student.len(), 372);
        let candidats: Vec<Vec<Row>> = by_student.into_values().collect();
        let model = reml(&candidats, 24).unwrap();
        assert!(model.lambda > 0.1, "students differ: {model:?}");
        assert_reverse_order(&rater_gaps(&model, 21, 24), &WRITING_PUBLIE);
    }
}
