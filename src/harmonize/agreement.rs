//! Agreement between two (or more) markers of the same papers: the E5A corrector pairs.
//!
//! Takes the marks as rows of papers × markers; gives the Bland–Altman mean difference and 95 %
//! limits of agreement, the intraclass correlation ICC(A,1) (two-way, absolute agreement, single
//! marker: McGraw & Wong 1996, = Shrout & Fleiss 1979 ICC(2,1)) and Cohen's quadratic-weighted
//! kappa on whole-point categories. It reads no file: [`super::correcteurs`] feeds it the marks of
//! table `notes_correcteurs`.

/// Bland–Altman summary of the differences first − second marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlandAltman {
    /// Papers.
    pub n: usize,
    /// Mean difference (bias of the first marker against the second).
    pub moyenne: f64,
    /// Standard deviation of the differences.
    pub ecart_type: f64,
    /// Lower 95 % limit of agreement (mean − 1.96 SD).
    pub limite_basse: f64,
    /// Upper 95 % limit of agreement (mean + 1.96 SD).
    pub limite_haute: f64,
}

/// Bland–Altman of paired marks; `None` under 2 pairs.
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
pub fn bland_altman(pairs: &[(f64, f64)]) -> Option<BlandAltman> {
    let n = pairs.len();
    if n < 2 {
        return None;
    }
    let d: Vec<f64> = pairs.iter().map(|(a, b)| a - b).collect();
    let moyenne = d.iter().sum::<f64>() / n as f64;
    let ecart_type = (d.iter().map(|x| (x - moyenne).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    Some(BlandAltman {
        n,
        moyenne,
        ecart_type,
        limite_basse: moyenne - 1.96 * ecart_type,
        limite_haute: moyenne + 1.96 * ecart_type,
    })
}

/// The two-way ANOVA mean squares of a complete papers × markers table: (rows, columns, error).
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
fn mean_squares(rows: &[Vec<f64>]) -> Option<(f64, f64, f64, usize, usize)> {
    let n = rows.len();
    let k = rows.first()?.len();
    if n < 2 || k < 2 || rows.iter().any(|r| r.len() != k) {
        return None;
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = rows.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = rows.iter().map(|r| r.iter().sum::<f64>() / kf).collect();
    let col_means: Vec<f64> = (0..k)
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / nf)
        .collect();
    let ssr = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ssc = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let sst: f64 = rows.iter().flatten().map(|x| (x - grand).powi(2)).sum();
    let sse = sst - ssr - ssc;
    Some((
        ssr / (nf - 1.0),
        ssc / (kf - 1.0),
        sse / ((nf - 1.0) * (kf - 1.0)),
        n,
        k,
    ))
}

/// ICC(A,1): how far one marker's mark can stand for another's, systematic gaps counted.
pub fn icc_a1(rows: &[Vec<f64>]) -> Option<f64> {
    let (msr, msc, mse, n, k) = mean_squares(rows)?;
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
    let (nf, kf) = (n as f64, k as f64);
    let denominator = msr + (kf - 1.0) * mse + kf / nf * (msc - mse);
    (denominator != 0.0).then(|| (msr - mse) / denominator)
}

/// ICC(C,1): consistency only (a marker who is uniformly 2 points lower still agrees).
pub fn icc_c1(rows: &[Vec<f64>]) -> Option<f64> {
    let (msr, _, mse, _, k) = mean_squares(rows)?;
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
    let denominator = msr + (k as f64 - 1.0) * mse;
    (denominator != 0.0).then(|| (msr - mse) / denominator)
}

/// Cohen's quadratic-weighted kappa of two markers on categories `0..=max` (marks rounded to the
/// nearest whole point and clamped).
#[expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "marks are clamped to 0..=max before the conversion; counts are small"
)]
pub fn quadratic_kappa(pairs: &[(f64, f64)], max: usize) -> Option<f64> {
    if pairs.is_empty() || max == 0 {
        return None;
    }
    let k = max + 1;
    let cat = |x: f64| x.round().clamp(0.0, max as f64) as usize;
    let mut observed = vec![vec![0.0; k]; k];
    let (mut rows, mut cols) = (vec![0.0; k], vec![0.0; k]);
    let n = pairs.len() as f64;
    for (a, b) in pairs {
        let (i, j) = (cat(*a), cat(*b));
        observed[i][j] += 1.0 / n;
        rows[i] += 1.0 / n;
        cols[j] += 1.0 / n;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let w = ((i as f64 - j as f64) / max as f64).powi(2);
            num += w * observed[i][j];
            den += w * rows[i] * cols[j];
        }
    }
    (den > 0.0).then(|| 1.0 - num / den)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shrout & Fleiss (1979), Table 2: 6 targets × 4 judges
    /// (../shared/external/harmonization/shrout_fleiss_1979.csv).
    fn shrout_fleiss() -> Vec<Vec<f64>> {
        vec![
            vec![9., 2., 5., 8.],
            vec![6., 1., 3., 2.],
            vec![8., 4., 6., 8.],
            vec![7., 1., 2., 6.],
            vec![10., 5., 6., 9.],
            vec![6., 2., 4., 7.],
        ]
    }

    #[test]
    fn icc_matches_shrout_and_fleiss_table_4() {
        // Published 0.29 and 0.71; pingouin 0.7.0 gives 0.289764 and 0.714841.
        assert!((icc_a1(&shrout_fleiss()).unwrap() - 0.289_764).abs() < 1e-6);
        assert!((icc_c1(&shrout_fleiss()).unwrap() - 0.714_841).abs() < 1e-6);
    }

    #[test]
    fn bland_altman_of_a_marker_one_point_lower() {
        let pairs = [(10.0, 11.0), (12.0, 13.5), (8.0, 8.5)];
        let ba = bland_altman(&pairs).unwrap();
        assert!((ba.moyenne + 1.0).abs() < 1e-12);
        assert!((ba.ecart_type - 0.5).abs() < 1e-12);
        assert!((ba.limite_haute - (-1.0 + 0.98)).abs() < 1e-12);
    }

    #[test]
    fn quadratic_kappa_is_one_for_identical_marks_and_zero_for_independent_ones() {
        let same = [(3.0, 3.0), (10.0, 10.0), (15.0, 15.0)];
        assert!((quadratic_kappa(&same, 20).unwrap() - 1.0).abs() < 1e-12);
        // Every combination of two categories once: observed = expected.
        let independent = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)];
        assert!(quadratic_kappa(&independent, 1).unwrap().abs() < 1e-12);
    }
}
