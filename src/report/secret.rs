//! Statistical secrecy of the published success rates (DOMAIN.md section 4): a cell with fewer
//! présents than the configured minimum is suppressed (primary secrecy), then more cells are
//! suppressed (secondary secrecy) until no suppressed cell can be recovered from the published
//! cells and the totals they add up to.
//!
//! Takes the cells of one session with the breakdown they belong to; gives a [`Secret`] per cell.
//! The totals are the breakdowns' sums: all candidates = Σ academies = Σ routes = Σ sexes; an
//! academy = Σ its schools; a school = Σ its sections; a route = Σ its sections. Secondary cells
//! are chosen smallest first. A final linear-algebra check (rank of the totals restricted to the
//! suppressed cells) proves that every suppressed cell is undetermined, and suppresses more when
//! one is not. It writes nothing.

use std::collections::BTreeMap;

use nalgebra::DMatrix;

/// One cell of reussite for one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cellule {
    /// Breakdown: ensemble, academie, uai, section, voie, sexe.
    pub niveau: String,
    /// The cell's key in its breakdown.
    pub cle: String,
    /// For a school: its academy.
    pub academie: Option<String>,
    /// For a section: its school.
    pub uai: Option<String>,
    /// For a section: its route.
    pub voie: Option<String>,
    /// Candidates présents.
    pub presents: u32,
}

/// Whether a cell may be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// Published.
    Publie,
    /// Suppressed: fewer présents than the minimum.
    Primaire,
    /// Suppressed so that a primary cell cannot be recovered from a total.
    Secondaire,
}

impl Secret {
    /// The French word written in the publishable table (empty when published).
    pub fn libelle(self) -> &'static str {
        match self {
            Secret::Publie => "",
            Secret::Primaire => "primaire",
            Secret::Secondaire => "secondaire",
        }
    }

    /// Whether the cell's numbers are hidden.
    pub fn is_suppressed(self) -> bool {
        self != Secret::Publie
    }
}

/// A total and the cells that add up to it (indices into the session's cells).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Relation {
    total: usize,
    parts: Vec<usize>,
}

/// Decides which cells of one session are published; `minimum` is the secrecy threshold.
pub fn apply_secrecy(cells: &[Cellule], minimum: u32) -> Vec<Secret> {
    let mut secret: Vec<Secret> = cells
        .iter()
        .map(|c| {
            if c.presents < minimum {
                Secret::Primaire
            } else {
                Secret::Publie
            }
        })
        .collect();
    let relations = relations(cells);
    loop {
        let mut changed = false;
        for r in &relations {
            let hidden = std::iter::once(r.total)
                .chain(r.parts.iter().copied())
                .filter(|&i| secret[i].is_suppressed())
                .count();
            if hidden == 1 && suppress_one_more(cells, &mut secret, r) {
                changed = true;
            }
        }
        if changed {
            continue;
        }
        // Every total now hides 0 or at least 2 cells; a cycle of totals may still pin a cell.
        let Some(cell) = first_recoverable(&relations, &secret, cells.len()) else {
            break;
        };
        let widened = relations
            .iter()
            .filter(|r| r.total == cell || r.parts.contains(&cell))
            .any(|r| suppress_one_more(cells, &mut secret, r));
        if !widened {
            break;
        }
    }
    secret
}

/// Suppresses the smallest published part of `r` (else its total) as secondary secrecy; false
/// when every cell of `r` is already suppressed.
fn suppress_one_more(cells: &[Cellule], secret: &mut [Secret], r: &Relation) -> bool {
    let candidate = r
        .parts
        .iter()
        .copied()
        .filter(|&i| !secret[i].is_suppressed())
        .min_by(|&a, &b| {
            (cells[a].presents, &cells[a].cle).cmp(&(cells[b].presents, &cells[b].cle))
        })
        .or(Some(r.total).filter(|&t| !secret[t].is_suppressed()));
    if let Some(i) = candidate {
        secret[i] = Secret::Secondaire;
        return true;
    }
    false
}

/// The totals of one session's breakdowns.
fn relations(cells: &[Cellule]) -> Vec<Relation> {
    let find = |niveau: &str, cle: &str| {
        cells
            .iter()
            .position(|c| c.niveau == niveau && c.cle == cle)
    };
    let mut groups: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    let ensemble = cells.iter().position(|c| c.niveau == "ensemble");
    for (i, c) in cells.iter().enumerate() {
        let totals: Vec<Option<usize>> = match c.niveau.as_str() {
            "academie" | "voie" | "sexe" => vec![ensemble],
            "uai" => vec![c.academie.as_deref().and_then(|a| find("academie", a))],
            "section" => vec![
                c.uai.as_deref().and_then(|u| find("uai", u)),
                c.voie.as_deref().and_then(|v| find("voie", v)),
            ],
            _ => Vec::new(),
        };
        for t in totals.into_iter().flatten() {
            groups.entry((t, c.niveau.as_str())).or_default().push(i);
        }
    }
    groups
        .into_iter()
        .map(|((total, _), parts)| Relation { total, parts })
        .collect()
}

/// The first suppressed cell that the published cells and the totals determine exactly, if any.
fn first_recoverable(relations: &[Relation], secret: &[Secret], n: usize) -> Option<usize> {
    let unknown: Vec<usize> = (0..n).filter(|&i| secret[i].is_suppressed()).collect();
    if unknown.is_empty() {
        return None;
    }
    let column: BTreeMap<usize, usize> = unknown.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    // Each total gives one equation, total - Σ parts = 0, over the unknown cells only (the
    // published ones move to the constant side).
    let rows: Vec<Vec<f64>> = relations
        .iter()
        .map(|r| {
            let mut row = vec![0.0; unknown.len()];
            if let Some(&k) = column.get(&r.total) {
                row[k] += 1.0;
            }
            for p in &r.parts {
                if let Some(&k) = column.get(p) {
                    row[k] -= 1.0;
                }
            }
            row
        })
        .collect();
    // Only the totals that involve a hidden cell constrain the hidden cells.
    let rows: Vec<Vec<f64>> = rows
        .into_iter()
        .filter(|r| r.iter().any(|v| *v != 0.0))
        .collect();
    // A hidden cell is determined exactly when every solution of the homogeneous system keeps it
    // fixed, i.e. when its coordinate is 0 in every vector of the null space. One SVD gives the
    // null space; the matrix is padded with zero rows to be at least square so that the SVD's V
    // holds the whole null space.
    let columns = unknown.len();
    let a = matrix(&rows, columns, rows.len().max(columns));
    let svd = a.svd(false, true);
    let v_t = svd.v_t?;
    let null: Vec<usize> = (0..columns)
        .filter(|&j| svd.singular_values[j] < 1e-9)
        .collect();
    unknown
        .iter()
        .enumerate()
        .find(|&(k, _)| null.iter().all(|&j| v_t[(j, k)].abs() < 1e-9))
        .map(|(_, &cell)| cell)
}

/// A `height` x `columns` matrix of `rows`, padded with zeros.
fn matrix(rows: &[Vec<f64>], columns: usize, height: usize) -> DMatrix<f64> {
    DMatrix::from_fn(height, columns, |i, j| {
        rows.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
    })
}

/// Whether every suppressed cell is undetermined by the published cells and the totals.
pub fn is_safe(cells: &[Cellule], secret: &[Secret]) -> bool {
    let relations = relations(cells);
    first_recoverable(&relations, secret, cells.len()).is_none()
        && relations.iter().all(|r| {
            std::iter::once(r.total)
                .chain(r.parts.iter().copied())
                .filter(|&i| secret[i].is_suppressed())
                .count()
                != 1
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(niveau: &str, cle: &str, parents: [Option<&str>; 3], presents: u32) -> Cellule {
        Cellule {
            niveau: niveau.into(),
            cle: cle.into(),
            academie: parents[0].map(String::from),
            uai: parents[1].map(String::from),
            voie: parents[2].map(String::from),
            presents,
        }
    }

    /// One academy L (43), schools U1 = 3 scolaire + 20 apprentissage and U2 = 20 scolaire.
    fn cells() -> Vec<Cellule> {
        vec![
            cell("ensemble", "tous", [None; 3], 43),
            cell("academie", "L", [None; 3], 43),
            cell("uai", "U1", [Some("L"), None, None], 23),
            cell("uai", "U2", [Some("L"), None, None], 20),
            cell("section", "U1 s", [None, Some("U1"), Some("scolaire")], 3),
            cell(
                "section",
                "U1 a",
                [None, Some("U1"), Some("apprentissage")],
                20,
            ),
            cell("section", "U2 s", [None, Some("U2"), Some("scolaire")], 20),
            cell("voie", "apprentissage", [None; 3], 20),
            cell("voie", "scolaire", [None; 3], 23),
            cell("sexe", "F", [None; 3], 21),
            cell("sexe", "M", [None; 3], 22),
        ]
    }

    #[test]
    fn a_small_section_hides_what_would_give_it_back_through_school_and_route_totals() {
        let c = cells();
        let s = apply_secrecy(&c, 5);
        let names: Vec<(&str, Secret)> = c.iter().map(|x| x.cle.as_str()).zip(s.clone()).collect();
        use Secret::*;
        assert_eq!(
            names,
            [
                ("tous", Publie),
                ("L", Publie),
                // U1 = 3 + 20 and U2 = its one section: both would give a section back.
                ("U1", Secondaire),
                ("U2", Secondaire),
                ("U1 s", Primaire),
                // U1 = U1 s + U1 a: U1 a hidden; scolaire = U1 s + U2 s: U2 s hidden.
                ("U1 a", Secondaire),
                ("U2 s", Secondaire),
                // apprentissage = U1 a alone; then tous = apprentissage + scolaire.
                ("apprentissage", Secondaire),
                ("scolaire", Secondaire),
                ("F", Publie),
                ("M", Publie),
            ]
        );
        assert!(is_safe(&c, &s));
    }

    #[test]
    fn one_hidden_cell_in_a_total_is_not_safe() {
        let c = cells();
        let mut s = vec![Secret::Publie; c.len()];
        s[9] = Secret::Primaire;
        assert!(!is_safe(&c, &s));
        assert!(is_safe(&c, &vec![Secret::Publie; c.len()]));
    }

    #[test]
    fn hidden_cells_on_a_cycle_of_totals_stay_undetermined() {
        // L = U1 + U2, U1 = S1 + S2, U2 = S3 + S4, scolaire = S1 + S3, apprentissage = S2 + S4.
        // Hiding U1, U2, S1, S3 leaves U1 + U2, U1 - S1, U2 - S3, S1 + S3 known: rank 3 of 4, and
        // the null space (1, -1, 1, -1) moves every hidden cell: none is recovered.
        let c = vec![
            cell("ensemble", "tous", [None; 3], 40),
            cell("academie", "L", [None; 3], 40),
            cell("uai", "U1", [Some("L"), None, None], 20),
            cell("uai", "U2", [Some("L"), None, None], 20),
            cell("section", "S1", [None, Some("U1"), Some("scolaire")], 10),
            cell(
                "section",
                "S2",
                [None, Some("U1"), Some("apprentissage")],
                10,
            ),
            cell("section", "S3", [None, Some("U2"), Some("scolaire")], 10),
            cell(
                "section",
                "S4",
                [None, Some("U2"), Some("apprentissage")],
                10,
            ),
            cell("voie", "scolaire", [None; 3], 20),
            cell("voie", "apprentissage", [None; 3], 20),
        ];
        let hide = |hidden: &[usize]| -> Vec<Secret> {
            (0..c.len())
                .map(|i| {
                    if hidden.contains(&i) {
                        Secret::Secondaire
                    } else {
                        Secret::Publie
                    }
                })
                .collect()
        };
        assert!(is_safe(&c, &hide(&[2, 3, 4, 6])));
        // Without U2 hidden, S3 = U2 - S4 and then everything else follows.
        assert!(!is_safe(&c, &hide(&[2, 4, 6])));
    }

    #[test]
    fn nothing_is_hidden_when_every_cell_is_large_enough() {
        assert!(apply_secrecy(&cells(), 3)
            .iter()
            .all(|s| *s == Secret::Publie));
    }
}
