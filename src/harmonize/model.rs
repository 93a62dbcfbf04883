//! Ordinary least squares with factor columns, estimable contrasts and their intervals.
//!
//! Takes the normal equations of a design (X'X, X'y, y'y, summed row by row); gives coefficients,
//! their unscaled covariance, the residual variance and degrees of freedom. A rank-deficient
//! design (an examiner who only saw one subject that nobody else marked) is handled by keeping a
//! largest set of linearly independent columns (a Cholesky factorisation that skips the columns
//! the previous ones already explain) and a generalised inverse built on them: a contrast that
//! the data cannot estimate is reported as such, never as a number.
//! It knows nothing about exams: [`super::examiners`] and [`super::mixed`] build the designs.
//!
//! Only Cholesky factorisations are used: they are backward stable on these positive
//! semi-definite matrices, whereas nalgebra 0.33's symmetric eigen-decomposition returned a wrong
//! decomposition of a 7 × 7 X'X of the samples (nalgebra issue #1109) and its SVD declared
//! estimable contrasts non-estimable on designs of a few hundred examiners.

use nalgebra::{DMatrix, DVector};

/// A fitted least-squares model.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    beta: DVector<f64>,
    /// A generalised inverse G of X'X (the inverse on the independent columns, 0 elsewhere): the
    /// covariance of an estimable contrast c'β is σ²·c'Gc.
    g: DMatrix<f64>,
    /// X'X, to test whether a contrast is estimable (X'X·G·c = c).
    xtx: DMatrix<f64>,
    /// Residual variance σ² = RSS / df.
    pub(crate) sigma2: f64,
    /// Residual degrees of freedom n − rank.
    pub(crate) df: usize,
}

/// What a likelihood needs of a least-squares fit (see [`Normales::profile`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Profile {
    /// Residual sum of squares.
    pub(crate) rss: f64,
    /// Rank of X.
    pub(crate) rank: usize,
    /// log det of X'X restricted to the independent columns.
    pub(crate) log_pdet: f64,
}

/// A column is kept when what the previous columns leave of it is at least this share of it.
const INDEPENDANCE: f64 = 1e-9;

/// A Cholesky factor of X'X on a largest set of independent columns.
struct Facteur {
    /// The kept columns, in increasing order.
    colonnes: Vec<usize>,
    /// Lower-triangular L with L·L' = X'X restricted to `colonnes`.
    l: DMatrix<f64>,
}

impl Facteur {
    /// Factorises `xtx` column by column, skipping a column whose residual diagonal (what the
    /// kept columns do not explain) is below [`INDEPENDANCE`] of its own diagonal. With
    /// `colonnes` given, factorises exactly those columns (`None` if one of them is dependent).
    fn new(xtx: &DMatrix<f64>, colonnes: Option<&[usize]>) -> Option<Self> {
        let candidates: Vec<usize> = match colonnes {
            Some(c) => c.to_vec(),
            None => (0..xtx.nrows()).collect(),
        };
        let mut kept: Vec<usize> = Vec::with_capacity(candidates.len());
        // Row k of L (its k + 1 first entries), each stored contiguously for the dot products,
        // and where it starts: L[k, i] = 0 before the first kept column that X'X links to
        // column k (no fill-in outside that envelope). Examiner columns come first and are
        // linked to no other examiner, so their rows cost almost nothing.
        let mut rows: Vec<Vec<f64>> = Vec::with_capacity(candidates.len());
        let mut starts: Vec<usize> = Vec::with_capacity(candidates.len());
        let mut row: Vec<f64> = Vec::with_capacity(candidates.len() + 1);
        for &j in &candidates {
            let k = kept.len();
            let start = kept.iter().position(|&ci| xtx[(j, ci)] != 0.0).unwrap_or(k);
            row.clear();
            row.resize(start, 0.0);
            // L[k, i] = (A[j, kept_i] − Σ_m L[k, m]·L[i, m]) / L[i, i].
            for (i, &ci) in kept.iter().enumerate().skip(start) {
                let previous = &rows[i];
                let from = start.max(starts[i]);
                let dot: f64 = row[from..i]
                    .iter()
                    .zip(&previous[from..i])
                    .map(|(a, b)| a * b)
                    .sum();
                row.push((xtx[(j, ci)] - dot) / previous[i]);
            }
            let reste = xtx[(j, j)] - row[start..].iter().map(|v| v * v).sum::<f64>();
            if reste > INDEPENDANCE * xtx[(j, j)] && reste > 0.0 {
                row.push(reste.sqrt());
                rows.push(row.clone());
                starts.push(start);
                kept.push(j);
            } else if colonnes.is_some() {
                return None;
            }
        }
        let r = kept.len();
        Some(Facteur {
            colonnes: kept,
            l: DMatrix::from_fn(r, r, |a, b| if b <= a { rows[a][b] } else { 0.0 }),
        })
    }

    /// Solves (X'X restricted to the kept columns)·b = v restricted to them.
    fn solve(&self, v: &DVector<f64>) -> DVector<f64> {
        let sub = DVector::from_iterator(self.colonnes.len(), self.colonnes.iter().map(|&j| v[j]));
        let half = self
            .l
            .solve_lower_triangular(&sub)
            .unwrap_or_else(|| DVector::zeros(sub.len()));
        self.l
            .tr_solve_lower_triangular(&half)
            .unwrap_or_else(|| DVector::zeros(sub.len()))
    }

    fn log_det(&self) -> f64 {
        2.0 * self.l.diagonal().iter().map(|d| d.ln()).sum::<f64>()
    }
}

/// A linear combination of the coefficients with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The value.
    pub value: f64,
    /// Its standard error.
    pub se: f64,
}

/// Fits `y ~ x` by least squares; `None` when there are no residual degrees of freedom.
#[cfg(test)]
pub(crate) fn fit(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<Fit> {
    let normales = Normales {
        xtx: x.transpose() * x,
        xty: x.transpose() * y,
        yty: y.norm_squared(),
        n: x.nrows(),
    };
    normales.fit()
}

/// The normal equations of a least-squares problem: X'X, X'y, y'y and the number of rows.
/// Built row by row when X is sparse (see [`super::mixed`]), or from a dense X by [`fit`].
#[derive(Debug, Clone)]
pub(crate) struct Normales {
    /// X'X.
    pub(crate) xtx: DMatrix<f64>,
    /// X'y.
    pub(crate) xty: DVector<f64>,
    /// y'y.
    pub(crate) yty: f64,
    /// Rows of X.
    pub(crate) n: usize,
}

impl Normales {
    /// Empty equations for `p` columns.
    pub(crate) fn zeros(p: usize) -> Self {
        Normales {
            xtx: DMatrix::zeros(p, p),
            xty: DVector::zeros(p),
            yty: 0.0,
            n: 0,
        }
    }

    /// Adds one row of X given by its non-zero `(column, value)` cells, and its response.
    pub(crate) fn add_row(&mut self, cells: &[(usize, f64)], y: f64) {
        for &(i, a) in cells {
            self.xty[i] += a * y;
            for &(j, b) in cells {
                self.xtx[(i, j)] += a * b;
            }
        }
        self.yty += y * y;
        self.n += 1;
    }

    /// The independent columns of X'X (see [`Facteur`]), to pass to [`Normales::profile`] for
    /// every member of a family of designs with the same column dependencies.
    pub(crate) fn independent_columns(&self) -> Vec<usize> {
        Facteur::new(&self.xtx, None).map_or_else(Vec::new, |f| f.colonnes)
    }

    /// The residual sum of squares, the rank and the log determinant of X'X on `colonnes` (from
    /// [`Normales::independent_columns`]): what a likelihood needs, without the covariance.
    /// `None` when there are no residual degrees of freedom or a column became dependent.
    pub(crate) fn profile(&self, colonnes: &[usize]) -> Option<Profile> {
        let facteur = Facteur::new(&self.xtx, Some(colonnes))?;
        let rank = colonnes.len();
        let b = facteur.solve(&self.xty);
        let xty: f64 = colonnes
            .iter()
            .zip(b.iter())
            .map(|(&j, v)| self.xty[j] * v)
            .sum();
        (self.n > rank).then(|| Profile {
            rss: (self.yty - xty).max(0.0),
            rank,
            log_pdet: facteur.log_det(),
        })
    }

    /// Solves the equations; `None` when there are no residual degrees of freedom.
    pub(crate) fn fit(self) -> Option<Fit> {
        let Normales { xtx, xty, yty, n } = self;
        let facteur = Facteur::new(&xtx, None)?;
        let (p, rank) = (xtx.nrows(), facteur.colonnes.len());
        let df = n.checked_sub(rank).filter(|df| *df > 0)?;
        let identity = DMatrix::<f64>::identity(rank, rank);
        let half = facteur.l.solve_lower_triangular(&identity)?;
        let inverse = half.transpose() * &half;
        let mut g = DMatrix::<f64>::zeros(p, p);
        for (a, &i) in facteur.colonnes.iter().enumerate() {
            for (b, &j) in facteur.colonnes.iter().enumerate() {
                g[(i, j)] = inverse[(a, b)];
            }
        }
        let beta = &g * &xty;
        // β = G·X'y, so RSS = y'y − β'X'y.
        let rss = (yty - beta.dot(&xty)).max(0.0);
        // The residual count is far below 2^52, so the f64 conversion is exact.
        #[expect(clippy::cast_precision_loss, reason = "df is far below 2^52")]
        let sigma2 = rss / df as f64;
        Some(Fit {
            beta,
            g,
            xtx,
            sigma2,
            df,
        })
    }
}

impl Fit {
    /// The estimate of c'β, or `None` when the data cannot estimate it (c outside X's row space).
    pub(crate) fn contrast(&self, c: &DVector<f64>) -> Option<Estimate> {
        // c is estimable iff it lies in the row space of X, i.e. X'X·G·c = c.
        let back = &self.xtx * (&self.g * c);
        if (back - c).norm() > 1e-6 * c.norm().max(1.0) {
            return None;
        }
        let value = c.dot(&self.beta);
        let var = self.sigma2 * c.dot(&(&self.g * c));
        Some(Estimate {
            value,
            se: var.max(0.0).sqrt(),
        })
    }
}

/// The standard normal distribution function Φ (Abramowitz and Stegun 7.1.26, error < 1.5e-7).
pub(crate) fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-x * x).exp();
    if z >= 0.0 {
        1.0 - erfc / 2.0
    } else {
        erfc / 2.0
    }
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (Cornish–Fisher expansion
/// around the normal quantile; within 0.01 of the exact value from 5 degrees of freedom).
pub(crate) fn t975(df: usize) -> f64 {
    let z: f64 = 1.959_964;
    #[expect(clippy::cast_precision_loss, reason = "df is far below 2^52")]
    let n = df.max(1) as f64;
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * n)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_group_contrast_is_the_difference_of_means_with_the_pooled_error() {
        // Group a: 1, 2, 3 (mean 2); group b: 5, 6, 7 (mean 6); pooled variance 1.
        let x = DMatrix::from_row_slice(6, 2, &[1., 0., 1., 0., 1., 0., 0., 1., 0., 1., 0., 1.]);
        let y = DVector::from_vec(vec![1., 2., 3., 5., 6., 7.]);
        let f = fit(&x, &y).unwrap();
        let e = f.contrast(&DVector::from_vec(vec![-1., 1.])).unwrap();
        assert!((e.value - 4.0).abs() < 1e-9);
        assert!((e.se - (1.0_f64 / 3.0 + 1.0 / 3.0).sqrt()).abs() < 1e-9);
        assert_eq!(f.df, 4);
    }

    #[test]
    fn a_contrast_confounded_with_another_factor_is_not_estimable() {
        // Columns: examiner a, examiner b, subject 2. Examiner b only marks subject 2.
        let x = DMatrix::from_row_slice(4, 3, &[1., 0., 0., 1., 0., 0., 0., 1., 1., 0., 1., 1.]);
        let y = DVector::from_vec(vec![1., 2., 5., 6.]);
        let f = fit(&x, &y).unwrap();
        assert!(f.contrast(&DVector::from_vec(vec![-1., 1., 0.])).is_none());
        assert!(f.contrast(&DVector::from_vec(vec![0., 1., 1.])).is_some());
    }

    #[test]
    fn the_profile_agrees_with_the_fit_and_a_repeated_column_is_skipped() {
        let x = DMatrix::from_row_slice(
            6,
            3,
            &[
                1., 0., 0.5, 1., 0., 1.5, 1., 1., 2., 0., 1., 3., 0., 1., 1., 1., 1., 0.,
            ],
        );
        let y = DVector::from_vec(vec![1., 2., 4., 6., 5., 3.]);
        let normales = |x: &DMatrix<f64>| Normales {
            xtx: x.transpose() * x,
            xty: x.transpose() * &y,
            yty: y.norm_squared(),
            n: 6,
        };
        let full = normales(&x);
        let colonnes = full.independent_columns();
        assert_eq!(colonnes, [0, 1, 2]);
        let p = full.profile(&colonnes).unwrap();
        let f = full.fit().unwrap();
        assert_eq!(p.rank, 3);
        assert!((p.rss - f.sigma2 * 3.0).abs() < 1e-9);
        assert!((p.log_pdet.exp() - (x.transpose() * &x).determinant()).abs() < 1e-6);
        // A column repeated: skipped, same rank, same fit, its contrast with the original
        // column not estimable.
        let x2 = DMatrix::from_fn(6, 4, |i, j| x[(i, j.min(2))]);
        let deficient = normales(&x2);
        assert_eq!(deficient.independent_columns(), [0, 1, 2]);
        let f2 = deficient.fit().unwrap();
        assert_eq!(f2.df, 3);
        assert!((f2.sigma2 - f.sigma2).abs() < 1e-9);
        assert!(f2
            .contrast(&DVector::from_vec(vec![0., 0., 1., -1.]))
            .is_none());
        let sum = f2
            .contrast(&DVector::from_vec(vec![0., 0., 1., 1.]))
            .unwrap();
        let alone = f.contrast(&DVector::from_vec(vec![0., 0., 1.])).unwrap();
        assert!((sum.value - alone.value).abs() < 1e-9);
        assert!((sum.se - alone.se).abs() < 1e-9);
    }

    #[test]
    fn normal_and_t_quantiles_match_tables() {
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
        assert!((t975(10) - 2.228).abs() < 0.01);
        assert!((t975(30) - 2.042).abs() < 0.002);
    }
}
