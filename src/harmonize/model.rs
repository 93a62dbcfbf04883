//! Ordinary least squares with factor columns, estimable contrasts and their intervals.
//!
//! Takes a design matrix and a response; gives coefficients, the unscaled covariance (the
//! pseudo-inverse of X'X), the residual variance and degrees of freedom. A rank-deficient design
//! (an examiner who only saw one subject that nobody else marked) is handled by the pseudo-inverse:
//! a contrast that the data cannot estimate is reported as such, never as a number.
//! It knows nothing about exams: [`super::examiners`] builds the designs.

use nalgebra::{DMatrix, DVector};

/// A fitted least-squares model.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    beta: DVector<f64>,
    /// (X'X)⁺: the covariance of the coefficients divided by σ².
    xtx_pinv: DMatrix<f64>,
    /// X'X, kept to test whether a contrast is estimable.
    xtx: DMatrix<f64>,
    /// Residual variance σ² = RSS / df.
    pub(crate) sigma2: f64,
    /// Residual degrees of freedom n − rank.
    pub(crate) df: usize,
    /// log of the product of the non-zero eigenvalues of X'X (for the restricted likelihood).
    pub(crate) log_pdet: f64,
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

    /// Solves the equations; `None` when there are no residual degrees of freedom.
    pub(crate) fn fit(self) -> Option<Fit> {
        let Normales { xtx, xty, yty, n } = self;
        let scale = xtx.diagonal().max().max(1.0);
        let svd = xtx.clone().svd(true, true);
        let tol = scale * 1e-10;
        let kept: Vec<f64> = svd
            .singular_values
            .iter()
            .copied()
            .filter(|s| *s > tol)
            .collect();
        let rank = kept.len();
        let log_pdet = kept.iter().map(|s| s.ln()).sum();
        let xtx_pinv = svd.pseudo_inverse(tol).ok()?;
        let beta = &xtx_pinv * &xty;
        // β = (X'X)⁺X'y, so RSS = y'y − β'X'y.
        let rss = (yty - beta.dot(&xty)).max(0.0);
        let df = n.checked_sub(rank).filter(|df| *df > 0)?;
        // The residual count is far below 2^52, so the f64 conversion is exact.
        #[expect(clippy::cast_precision_loss, reason = "df is far below 2^52")]
        let sigma2 = rss / df as f64;
        Some(Fit {
            beta,
            xtx_pinv,
            xtx,
            sigma2,
            df,
            log_pdet,
        })
    }
}

impl Fit {
    /// The estimate of c'β, or `None` when the data cannot estimate it (c outside X's row space).
    pub(crate) fn contrast(&self, c: &DVector<f64>) -> Option<Estimate> {
        // c is estimable iff X'X (X'X)⁺ c = c.
        let back = &self.xtx * (&self.xtx_pinv * c);
        if (back - c).norm() > 1e-6 * c.norm().max(1.0) {
            return None;
        }
        let value = c.dot(&self.beta);
        let var = self.sigma2 * c.dot(&(&self.xtx_pinv * c));
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
    fn normal_and_t_quantiles_match_tables() {
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
        assert!((t975(10) - 2.228).abs() < 0.01);
        assert!((t975(30) - 2.042).abs() < 0.002);
    }
}
