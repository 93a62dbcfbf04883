//! The random streams of the national generator: one ChaCha stream per seed, session, academy
//! and stage, so that an academy-session is drawn alone (memory bounded by one academy) and the
//! same options always give the same candidates.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The stages that draw numbers, each on its own stream.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Flux {
    /// The schools of an academy (drawn once, for every session).
    Etablissements = 1,
    /// The candidates of an academy-session: identity, ability, grades, status codes.
    Candidats = 2,
}

/// The generator of one stage for one academy and session: same inputs, same numbers.
pub(crate) fn rng_for_academy(seed: u64, session: i32, academie: usize, flux: Flux) -> ChaCha8Rng {
    let session = u64::from(session.unsigned_abs());
    let academie = academie as u64;
    let mixed = seed
        ^ session.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (academie + 1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    let mut rng = ChaCha8Rng::seed_from_u64(mixed);
    rng.set_stream(flux as u64);
    rng
}

#[cfg(test)]
mod tests {
    use rand::Rng;

    use super::*;

    #[test]
    fn streams_differ_by_session_academy_and_stage() {
        let first = |s, a, f| rng_for_academy(5, s, a, f).gen::<u64>();
        let base = first(2024, 3, Flux::Candidats);
        assert_eq!(base, first(2024, 3, Flux::Candidats));
        assert_ne!(base, first(2023, 3, Flux::Candidats));
        assert_ne!(base, first(2024, 4, Flux::Candidats));
        assert_ne!(base, first(2024, 3, Flux::Etablissements));
    }
}
