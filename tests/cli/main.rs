//! Integration tests: the real `ndrc-stats` binary run in a fresh work dir per test.
#![allow(clippy::unwrap_used)]

mod accueil;
mod bareme;
mod calcul;
mod classeur;
mod commentaires;
mod common;
mod confiance;
mod explain;
mod export;
mod external;
mod formats;
mod fuzz;
mod grand_fichier;
mod harmonize;
mod ingest;
mod jury;
mod layouts;
mod livret;
mod mauvais;
mod national;
mod navigateur;
mod perimetre;
mod rates;
mod recognition;
mod remplace;
mod results;
mod sorties;
mod variantes;
