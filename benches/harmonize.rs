//! Benchmark of the examiner models at national scale with realistic examiner counts: one
//! session of E5B, 30,000 candidates, 750 examiners (about 40 candidates each, over a few half-days), 60 half-day
//! subjects, 3 written papers per candidate. Prints the wall time of `harmonize::analyse`
//! (difference model, ANCOVA slope and the mixed model's REML fit).
//!
//! Run: `cargo bench --bench harmonize` (add `-- 100000 2500` for other sizes: candidates,
//! examiners).

use std::time::Instant;

use ndrc_stats::harmonize::{analyse, Papiers, Passage};
use ndrc_stats::regulation::Harmonisation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let candidats: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(30_000);
    let examinateurs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(750);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let effets: Vec<f64> = (0..examinateurs)
        .map(|_| rng.sample::<f64, _>(StandardNormal) * 0.7)
        .collect();
    let mut passages = Vec::with_capacity(candidats);
    let mut papiers = Papiers::new();
    let mut k = 0;
    for i in 0..candidats {
        let theta: f64 = rng.sample::<f64, _>(StandardNormal) * 3.0;
        // Blocks of 10 candidates given to examiners at random: each examiner works on a few
        // half-days (subjects), which links every examiner to the others.
        if i % 10 == 0 {
            k = rng.gen_range(0..examinateurs);
        }
        let candidat = format!("{i:08}");
        let mut bruit = || rng.sample::<f64, _>(StandardNormal) * 1.8;
        let copies = vec![
            ("E1".to_string(), 10.5 + theta + bruit()),
            ("E3".to_string(), 10.5 + theta + bruit()),
            ("E5A".to_string(), 10.5 + theta + bruit()),
        ];
        let niveau = copies.iter().map(|(_, n)| n).sum::<f64>() / 3.0;
        passages.push(Passage {
            session: 2024,
            epreuve: "E5B".into(),
            examinateur: format!("E5B-EX{k:04}"),
            sujet: format!("S{:02}", (i / 500) % 60),
            candidat: candidat.clone(),
            note: 10.5 + theta + effets[k] + bruit(),
            niveau: Some(niveau),
        });
        papiers.insert((2024, candidat), copies);
    }
    passages.sort_by(|a, b| a.examinateur.cmp(&b.examinateur));
    let start = Instant::now();
    let (lignes, syntheses) = analyse(&passages, &papiers, &Harmonisation::default());
    let elapsed = start.elapsed();
    let mae = lignes
        .iter()
        .filter_map(|l| {
            let k: usize = l.examinateur[6..].parse().ok()?;
            let autres = (effets.iter().sum::<f64>() - effets[k]) / (examinateurs - 1) as f64;
            Some((l.ecart_ajuste?.value - (effets[k] - autres)).abs())
        })
        .sum::<f64>()
        / lignes.len() as f64;
    println!(
        "harmonize::analyse: {candidats} candidates, {examinateurs} examiners: {:.2} s \
         ({} examiners seen, {} with an adjusted gap, {} with a mixed-model gap, {} flags; \
         mean absolute error of the adjusted gaps {mae:.2} point)",
        elapsed.as_secs_f64(),
        lignes.len(),
        lignes.iter().filter(|l| l.ecart_ajuste.is_some()).count(),
        lignes.iter().filter(|l| l.ecart_mixte.is_some()).count(),
        syntheses.iter().map(|s| s.signaux).sum::<usize>()
    );
}
