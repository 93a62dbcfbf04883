//! The command-line arguments (clap derive): one subcommand per user job. Every flag's doc
//! comment is its `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::csv::Dialect;

/// Résultats, taux de réussite, livret scolaire et harmonisation des examinateurs du BTS NDRC.
#[derive(Debug, Parser)]
#[command(name = "ndrc-stats", version, about)]
pub struct Cli {
    /// The job to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Génère des exports synthétiques réalistes d'une académie (avec erreurs plantées) ou de la nation.
    Generate(GenerateArgs),
    /// Charge des exports (.xlsx .xls .ods .csv, fichiers ou dossiers) dans la base DuckDB.
    Ingest(IngestArgs),
    /// Chaîne complète : charge les exports puis écrit les rapports.
    Run(RunArgs),
    /// Calcule moyennes et décisions selon le règlement et écrit les rapports du jury.
    Results(ResultsArgs),
    /// Harmonisation des examinateurs : écarts bruts et ajustés au niveau, signaux, impact.
    Harmonize(HarmonizeArgs),
    /// Taux de réussite par session, académie, établissement, section, voie et sexe, évolution.
    Rates(RatesArgs),
    /// Statistiques du livret scolaire par classe : profil, cotation, graphique de chaque élève.
    Livret(LivretArgs),
    /// Contrôle à blanc : ce que chaque fichier donnerait (colonnes lues, rejets), sans base écrite.
    Check(CheckArgs),
    /// Exporte les tables et les résultats en Parquet partitionné (session=, academie=).
    Export(ExportArgs),
    /// Explique le résultat d'un candidat : chaque note et sa source, chaque règle appliquée, la décision.
    Explain(ExplainArgs),
    /// Liste les fichiers chargés : numéro, chemin, SHA-256, gabarit, lignes, date de chargement.
    Sources(SourcesArgs),
}

/// The output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExplainFormat {
    /// Texte en français, à lire ou à imprimer.
    #[default]
    Texte,
    /// Un document JSON stable et documenté (README), pour un autre outil.
    Json,
}

/// `explain` arguments.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Session du candidat (année de l'examen).
    #[arg(long)]
    pub session: i32,
    /// Numéro du candidat (répétable, ou séparés par des virgules).
    #[arg(long, value_delimiter = ',', required_unless_present = "tous")]
    pub candidat: Vec<String>,
    /// Explique tous les candidats de la session (au lieu de --candidat).
    #[arg(long, conflicts_with = "candidat")]
    pub tous: bool,
    /// Format : texte (français) ou json.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Texte)]
    pub format: ExplainFormat,
}

/// `sources` arguments.
#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Dossier de l'export Parquet (une table par sous-dossier, partitionnée session=/academie=).
    #[arg(long)]
    pub parquet: PathBuf,
}

/// `check` arguments.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Profil d'intitulés supplémentaire (TOML, comme data/profiles/ndrc.toml), répétable.
    #[arg(long = "profile")]
    pub profiles: Vec<PathBuf>,
    /// Dossier des profils d'intitulés (les profils intégrés sont utilisés s'il n'existe pas).
    #[arg(long, default_value = "data/profiles")]
    pub profiles_dir: PathBuf,
    /// Session imposée à toutes les lignes (sinon : colonne, préambule, nom de fichier).
    #[arg(long)]
    pub session: Option<i32>,
    /// Fichiers ou dossiers à contrôler.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// `generate` arguments.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Dossier où écrire les exports.
    #[arg(long)]
    pub out: PathBuf,
    /// Graine du générateur (même graine, mêmes fichiers).
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Nombre de candidats par session.
    #[arg(long, default_value_t = 600)]
    pub candidats: usize,
    /// Sessions, séparées par des virgules.
    #[arg(long, value_delimiter = ',', default_value = "2022,2023,2024")]
    pub sessions: Vec<i32>,
    /// Écrit, au lieu des exports canoniques, les mêmes données (même vérité plantée) sous de
    /// nombreuses mises en forme : un sous-dossier de --out par variante (formats, encodages,
    /// notes en large ou en long, statut dans sa colonne, livret en long, moyenne annuelle,
    /// en-têtes sur deux lignes, titres et lignes de synthèse), et un README.md qui les décrit.
    #[arg(long, conflicts_with = "national")]
    pub variantes: bool,
    /// Écrit des exports de taille nationale, en flux : notes_nationales.csv (toutes les
    /// sessions, une ligne par candidat et épreuve, Windows-1252, « ; », virgule décimale, statut
    /// dans sa colonne) et un classeur par académie et par session sous academies/<session>/ ;
    /// --candidats va alors jusqu'à 1 000 000 par session (30 académies).
    #[arg(long)]
    pub national: bool,
}

/// Options shared by the commands that load files.
#[derive(Debug, Args, Clone)]
pub struct LoadArgs {
    /// Base DuckDB (créée si absente).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Profil d'intitulés supplémentaire (TOML, comme data/profiles/ndrc.toml), répétable.
    #[arg(long = "profile")]
    pub profiles: Vec<PathBuf>,
    /// Dossier des profils d'intitulés (les profils intégrés sont utilisés s'il n'existe pas).
    #[arg(long, default_value = "data/profiles")]
    pub profiles_dir: PathBuf,
    /// Session imposée à toutes les lignes chargées (sinon : colonne, préambule, nom de fichier).
    #[arg(long)]
    pub session: Option<i32>,
    /// Refuse tout fichier dont une colonne non vide n'est pas lue (code de sortie 1).
    #[arg(long)]
    pub strict: bool,
    /// Si un autre programme a la base ouverte (un chargement en cours), attendre jusqu'à ce
    /// nombre de secondes qu'il la libère au lieu de refuser tout de suite.
    #[arg(long, value_name = "SECONDES", default_value_t = 0)]
    pub attendre: u64,
}

/// `ingest` arguments.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Options de chargement.
    #[command(flatten)]
    pub load: LoadArgs,
    /// Fichiers ou dossiers à charger.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Retire le fichier de la source ID (numéro donné par « ndrc-stats sources ») et charge à
    /// sa place le fichier corrigé, seul chemin donné, en une transaction : les valeurs retirées
    /// restent dans l'historique, les conflits sont recalculés ; refaire ne change rien.
    #[arg(long, value_name = "ID")]
    pub remplace: Option<i32>,
}

/// `run` arguments.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Options de chargement.
    #[command(flatten)]
    pub load: LoadArgs,
    /// Dossier des rapports.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Format des CSV : francais (Excel français) ou standard (RFC 4180).
    #[arg(long, value_enum, default_value_t = Dialect::Francais)]
    pub csv: Dialect,
    /// Remplace dans chaque tableau les numéros, noms, prénoms et dates de naissance des
    /// candidats par des pseudonymes HMAC-SHA-256 de cette clé (12 caractères au moins ; la même
    /// clé donne les mêmes pseudonymes) ; les documents nominatifs (jury, livret) ne sont pas écrits.
    #[arg(long, value_name = "CLE")]
    pub pseudonymise: Option<String>,
    /// Fichiers ou dossiers à charger.
    #[arg(default_value = "data/samples")]
    pub paths: Vec<PathBuf>,
}

/// `results` arguments.
#[derive(Debug, Args)]
pub struct ResultsArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Session à écrire (par défaut : toutes).
    #[arg(long)]
    pub session: Option<i32>,
    /// Dossier des rapports.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Format des CSV : francais (Excel français) ou standard (RFC 4180).
    #[arg(long, value_enum, default_value_t = Dialect::Francais)]
    pub csv: Dialect,
    /// Remplace dans chaque tableau les numéros, noms, prénoms et dates de naissance des
    /// candidats par des pseudonymes HMAC-SHA-256 de cette clé (12 caractères au moins ; la même
    /// clé donne les mêmes pseudonymes) ; les documents nominatifs (jury, livret) ne sont pas écrits.
    #[arg(long, value_name = "CLE")]
    pub pseudonymise: Option<String>,
    /// Écrit aussi les documents du jury à imprimer : procès-verbal de délibération et relevés
    /// de notes (jury/ ; `run` les écrit toujours).
    #[arg(long)]
    pub jury: bool,
}

/// `harmonize` arguments.
#[derive(Debug, Args)]
pub struct HarmonizeArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Session à analyser (par défaut : toutes).
    #[arg(long)]
    pub session: Option<i32>,
    /// Épreuve à analyser (E2, E5A, E5B... ; par défaut : toutes celles qui ont des examinateurs).
    #[arg(long)]
    pub epreuve: Option<String>,
    /// Dossier des rapports (les fichiers vont dans <out>/harmonisation/).
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Format des CSV : francais (Excel français) ou standard (RFC 4180).
    #[arg(long, value_enum, default_value_t = Dialect::Francais)]
    pub csv: Dialect,
    /// Remplace dans chaque tableau les numéros, noms, prénoms et dates de naissance des
    /// candidats par des pseudonymes HMAC-SHA-256 de cette clé (12 caractères au moins ; la même
    /// clé donne les mêmes pseudonymes) ; les documents nominatifs (jury, livret) ne sont pas écrits.
    #[arg(long, value_name = "CLE")]
    pub pseudonymise: Option<String>,
    /// Corrections du jury (colonnes Session, Epreuve, Examinateur, Correction en points) :
    /// impact.csv simule ces corrections au lieu de la correction par défaut des examinateurs
    /// et des établissements (CCF) signalés ; l'UAI d'un établissement en colonne Examinateur
    /// corrige ses notes de CCF de l'épreuve. Les notes enregistrées ne changent jamais.
    #[arg(long)]
    pub corrections: Option<PathBuf>,
}

/// `rates` arguments.
#[derive(Debug, Args)]
pub struct RatesArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Dossier des rapports.
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Écrit aussi reussite_publiable.csv, avec le secret statistique (primaire et secondaire).
    #[arg(long)]
    pub publish: bool,
    /// Format des CSV : francais (Excel français) ou standard (RFC 4180).
    #[arg(long, value_enum, default_value_t = Dialect::Francais)]
    pub csv: Dialect,
    /// Remplace dans chaque tableau les numéros, noms, prénoms et dates de naissance des
    /// candidats par des pseudonymes HMAC-SHA-256 de cette clé (12 caractères au moins ; la même
    /// clé donne les mêmes pseudonymes) ; les documents nominatifs (jury, livret) ne sont pas écrits.
    #[arg(long, value_name = "CLE")]
    pub pseudonymise: Option<String>,
}

/// `livret` arguments.
#[derive(Debug, Args)]
pub struct LivretArgs {
    /// Base DuckDB déjà chargée (par ingest ou run).
    #[arg(long, default_value = "data/ndrc.duckdb")]
    pub db: PathBuf,
    /// Session (année de l'examen) ; par défaut la dernière du livret.
    #[arg(long)]
    pub session: Option<i32>,
    /// Seulement cet établissement (UAI).
    #[arg(long)]
    pub uai: Option<String>,
    /// Seulement cette classe (nom exact du livret).
    #[arg(long)]
    pub classe: Option<String>,
    /// Dossier des rapports (les fichiers vont dans <out>/livret/<session>/).
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// Format des CSV : francais (Excel français) ou standard (RFC 4180).
    #[arg(long, value_enum, default_value_t = Dialect::Francais)]
    pub csv: Dialect,
}
