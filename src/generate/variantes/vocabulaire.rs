//! Every wording the layout variants write, as data: column headers (four wordings per field),
//! group labels of two-row headers, exam labels, status spellings, title, summary and signature
//! lines.
//!
//! The headers are plausible French export wordings chosen to differ from every alias of
//! `data/profiles/ndrc.toml` once normalised (a unit test checks it): a reader that only knows
//! exact aliases cannot load them, one that reads words and content can. A variant picks wording
//! `forme % 4` of each field. Values (grades, codes, subject labels) are not taken from here
//! unless they are spelt differently on purpose (exam codes, status codes).

use super::super::model::Epreuve;

/// A column of a variant table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Champ {
    /// The session year.
    Session,
    /// The candidate number.
    Candidat,
    /// The national student id.
    Ine,
    /// Surname.
    Nom,
    /// First name.
    Prenom,
    /// Birth date.
    DateNaissance,
    /// Sex.
    Sexe,
    /// The candidate category (route).
    Voie,
    /// The academy.
    Academie,
    /// The school's UAI; `{etab}` in a wording is replaced by the school's name.
    Uai,
    /// The school's name.
    Etablissement,
    /// The class.
    Classe,
    /// The specialty code.
    CodeSpecialite,
    /// The specialty label.
    Specialite,
    /// The exam of a long grade row.
    Epreuve,
    /// A grade.
    Note,
    /// A status code in a column of its own.
    Statut,
    /// The origin session of a kept grade.
    SessionOrigine,
    /// The examiner or corrector pair.
    Examinateur,
    /// The E5B commission.
    Commission,
    /// The national subject.
    Sujet,
    /// The exam centre.
    Centre,
    /// The exam date.
    DateEpreuve,
    /// Morning or afternoon.
    DemiJournee,
    /// The livret line.
    Matiere,
    /// Year of training (1 or 2) in a long livret.
    AnneeFormation,
    /// Semester (S1, S2, or the annual average) in a long livret.
    Semestre,
    /// The average of a long livret row.
    Moyenne,
    /// Year 1, semester 1.
    A1S1,
    /// Year 1, semester 2.
    A1S2,
    /// Year 2, semester 1.
    A2S1,
    /// Year 2, semester 2.
    A2S2,
    /// Year 1 as one annual average.
    A1Annuelle,
    /// The class council's opinion.
    Avis,
    /// The PIX flag.
    Pix,
    /// Points added by the jury.
    PointsJury,
    /// The jury's decision.
    Decision,
    /// The jury's reason.
    Motif,
    /// A grid question.
    Question,
    /// A grid level.
    Niveau,
    /// An E5A corrector.
    Correcteur,
    /// An E5A corrector's own mark.
    NoteCorrecteur,
    /// The unit a control exam may replace.
    UniteRemplacee,
    /// The grade column of one exam in a wide grade table.
    Examen(Epreuve),
}

/// Four wordings of each header; a variant uses wording `forme % 4`.
#[rustfmt::skip]
const ENTETES: [(Champ, [&str; 4]); 43] = [
    (Champ::Session, ["Session de l'examen", "Année de la session", "Session (année)", "Millésime de session"]),
    (Champ::Candidat, ["Numéro d'inscription du candidat", "N° de candidat (Cyclades)", "Identifiant candidat", "Numéro candidat Cyclades"]),
    (Champ::Ine, ["Identifiant national (INE)", "N° INE de l'élève", "INE élève", "Numéro INE"]),
    (Champ::Nom, ["NOM patronymique", "Nom de naissance", "NOM de l'étudiant", "Patronyme"]),
    (Champ::Prenom, ["Prénom usuel", "Premier prénom", "Prénom de l'étudiant", "Prénom d'usage"]),
    (Champ::DateNaissance, ["Date naiss.", "Date de naissance (jj/mm/aaaa)", "Né(e) le (date)", "Naissance – date"]),
    (Champ::Sexe, ["Sexe (M/F)", "Sexe de l'élève", "Genre (F/M)", "Code sexe"]),
    (Champ::Voie, ["Catégorie d'inscription", "Statut de formation", "Catégorie de candidat (code)", "Voie d'accès au diplôme"]),
    (Champ::Academie, ["Académie d'inscription", "Académie (libellé)", "Acad.", "Académie de rattachement"]),
    (Champ::Uai, ["Code UAI de l'établissement – {etab}", "UAI établissement de formation", "N° UAI (ex-RNE)", "Code RNE/UAI"]),
    (Champ::Etablissement, ["Nom de l'établissement", "Établissement de formation", "Lycée / CFA", "Libellé de l'établissement"]),
    (Champ::Classe, ["Division (classe)", "Classe fréquentée", "Groupe classe", "Code division"]),
    (Champ::CodeSpecialite, ["Code de la spécialité", "Spécialité (code BCN)", "Code diplôme", "Code formation"]),
    (Champ::Specialite, ["Libellé de la spécialité", "Spécialité préparée", "Intitulé du diplôme", "Formation suivie"]),
    (Champ::Epreuve, ["Intitulé de l'épreuve", "Code de l'épreuve (unité)", "Épreuve passée", "Unité d'examen"]),
    (Champ::Note, ["Note obtenue (/20)", "Note sur vingt", "Résultat chiffré", "Note attribuée"]),
    (Champ::Statut, ["Situation à l'épreuve", "Statut de la note", "Code absence / dispense", "Mention particulière"]),
    (Champ::SessionOrigine, ["Session d'obtention du bénéfice", "Année d'obtention de la note conservée", "Bénéfice obtenu en", "Session de la note conservée"]),
    (Champ::Examinateur, ["Examinateur (code)", "Correcteur / examinateur", "Identifiant de l'interrogateur", "Membre du jury"]),
    (Champ::Commission, ["Numéro de commission", "Commission d'évaluation", "Sous-commission", "Code commission"]),
    (Champ::Sujet, ["Sujet tiré", "Référence du sujet", "Sujet national", "Code du sujet"]),
    (Champ::Centre, ["Centre d'épreuves", "Lieu de l'épreuve", "Établissement centre", "Centre de passage"]),
    (Champ::DateEpreuve, ["Date de convocation", "Jour de l'épreuve", "Date d'interrogation", "Date de l'oral"]),
    (Champ::DemiJournee, ["Matin / après-midi", "Demi-journée de passage", "Plage horaire", "Séance"]),
    (Champ::Matiere, ["Matière / bloc de compétences", "Ligne du livret scolaire", "Enseignement suivi", "Domaine d'enseignement"]),
    (Champ::AnneeFormation, ["Année de formation (1 ou 2)", "Niveau de formation", "Année d'études", "Année BTS"]),
    (Champ::Semestre, ["Semestre (S1 / S2)", "Période d'évaluation", "Période", "Semestre concerné"]),
    (Champ::Moyenne, ["Moyenne de l'élève", "Moyenne obtenue", "Moyenne de la période", "Moyenne (/20)"]),
    (Champ::A1S1, ["Moyenne 1re année – semestre 1", "BTS1 S1", "Semestre 1 (1re année)", "Moy. A1 S1"]),
    (Champ::A1S2, ["Moyenne 1re année – semestre 2", "BTS1 S2", "Semestre 2 (1re année)", "Moy. A1 S2"]),
    (Champ::A2S1, ["Moyenne 2e année – semestre 1", "BTS2 S1", "Semestre 1 (2e année)", "Moy. A2 S1"]),
    (Champ::A2S2, ["Moyenne 2e année – semestre 2", "BTS2 S2", "Semestre 2 (2e année)", "Moy. A2 S2"]),
    (Champ::A1Annuelle, ["Moyenne annuelle 1re année", "BTS1 moyenne annuelle", "Année 1 (moyenne de l'année)", "Moy. A1 annuelle"]),
    (Champ::Avis, ["AVIS DU CONSEIL DE CLASSE", "Avis du conseil de classe (examen)", "Avis de l'équipe pédagogique – conseil de classe", "AVIS DU CONSEIL DE CLASSE (livret scolaire)"]),
    (Champ::Pix, ["Certification PIX obtenue", "PIX (certification numérique)", "Compétences numériques PIX", "Attestation PIX"]),
    (Champ::PointsJury, ["Points attribués par le jury", "Bonification du jury (points)", "Points accordés", "Points de jury ajoutés"]),
    (Champ::Decision, ["Décision de délibération", "Résultat de la délibération", "Décision prononcée", "Décision (jury souverain)"]),
    (Champ::Motif, ["Motif de la délibération", "Justification de la décision", "Observation", "Commentaire du jury"]),
    (Champ::Question, ["Question de la grille", "Critère d'évaluation", "Item de la grille", "Indicateur"]),
    (Champ::Niveau, ["Niveau de la grille (1 à 4)", "Degré atteint", "Niveau évalué", "Positionnement"]),
    (Champ::Correcteur, ["Correcteur (binôme, lettre)", "Identifiant du correcteur", "Correcteur désigné", "Code correcteur"]),
    (Champ::NoteCorrecteur, ["Note proposée par le correcteur", "Note avant harmonisation", "Note du correcteur (/20)", "Proposition de note"]),
    (Champ::UniteRemplacee, ["Unité dont la note est remplacée", "Unité générale concernée", "Remplace la note de l'unité", "Unité visée"]),
];

/// Four wordings of each exam's column in a wide grade table, in the order of
/// [`Epreuve::TOUTES`].
#[rustfmt::skip]
const ENTETES_EXAMENS: [[&str; 4]; 8] = [
    ["E1 – Culture générale et expression (coef. 3)", "U1 Culture gé. et expression – note", "Épreuve E1 : note /20", "Français (E1)"],
    ["E2 – Langue vivante étrangère 1 (coef. 3)", "U2 Anglais LV1 – note", "Épreuve E2 : note /20", "Langue étrangère (E2)"],
    ["E3 – CEJM (coef. 3)", "U3 Culture éco., jur. et manag. – note", "Épreuve E3 : note /20", "Économie-droit-management (E3)"],
    ["E4 – Relation client et négociation-vente (coef. 5)", "U4 RCNV – note", "Épreuve E4 : note /20", "Négociation-vente (E4)"],
    ["E5A – Relation client à distance, écrit (coef. 2)", "U51 Écrit RCDD – note", "Épreuve E5A : note /20", "Digitalisation écrit (E5A)"],
    ["E5B – Relation client à distance, pratique (coef. 2)", "U52 Pratique RCDD – note", "Épreuve E5B : note /20", "Digitalisation pratique (E5B)"],
    ["E6 – Relation client et animation de réseaux (coef. 3)", "U6 RCAR – note", "Épreuve E6 : note /20", "Animation de réseaux (E6)"],
    ["EF1 – LV2 facultative (points > 10)", "UF1 Langue vivante 2 – note", "Épreuve facultative EF1 : note /20", "LV2 facultative (EF1)"],
];

/// How the exam of a long grade row is named, three ways, in the order of [`Epreuve::TOUTES`]:
/// its code, its unit, the national "code - label" form.
#[rustfmt::skip]
const VALEURS_EXAMENS: [[&str; 3]; 8] = [
    ["E1", "U1", "E1 - Culture générale et expression"],
    ["E2", "U2", "E2 - Communication en langue vivante étrangère 1"],
    ["E3", "U3", "E3 - Culture économique, juridique et managériale"],
    ["E4", "U4", "E4 - Relation client et négociation-vente"],
    ["E5A", "U51", "E5A - Relation client à distance et digitalisation écrit"],
    ["E5B", "U52", "E5B - Relation client à distance et digitalisation pratique"],
    ["E6", "U6", "E6 - Relation client et animation de réseaux"],
    ["EF1", "UF1", "EF1 - Langue vivante 2 facultative"],
];

/// A status code in a column of its own, three spellings: ABS, ABJ, NV, DISP, BEN.
#[rustfmt::skip]
const VALEURS_STATUTS: [[&str; 5]; 3] = [
    ["ABS", "ABJ", "NV", "DISP", "BEN"],
    ["Absent", "Absence justifiée", "Non valide", "Dispensé", "Bénéfice"],
    ["Abs.", "Abs. justifiée", "Dossier non valide", "Dispense", "Ben."],
];

/// The semester cell of a long livret row: S1, S2, the annual average (three spellings).
#[rustfmt::skip]
const VALEURS_PERIODES: [[&str; 3]; 3] = [
    ["S1", "S2", "Annuelle"],
    ["Semestre 1", "Semestre 2", "Année complète"],
    ["1er semestre", "2nd semestre", "Moyenne annuelle"],
];

/// A group label of a two-row header (the row above the labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Groupe {
    /// Who the candidate is.
    Identite,
    /// The school.
    Etablissement,
    /// The registration (route, specialty).
    Inscription,
    /// The grade columns.
    Notes,
    /// The exam and how it went.
    Epreuve,
    /// Year 1 of the livret.
    Annee1,
    /// Year 2 of the livret.
    Annee2,
    /// The jury's deliberation.
    Deliberation,
}

#[rustfmt::skip]
const GROUPES: [(Groupe, [&str; 3]); 8] = [
    (Groupe::Identite, ["Identité", "Le candidat", "État civil"]),
    (Groupe::Etablissement, ["Établissement fréquenté", "Formation", "Scolarité"]),
    (Groupe::Inscription, ["Inscription", "Dossier d'inscription", "Examen"]),
    (Groupe::Notes, ["Notes /20", "Résultats par épreuve", "Notes obtenues"]),
    (Groupe::Epreuve, ["L'épreuve", "Évaluation", "Passage"]),
    (Groupe::Annee1, ["Première année", "1re année de BTS", "Année 1"]),
    (Groupe::Annee2, ["Deuxième année", "2e année de BTS", "Année 2"]),
    (Groupe::Deliberation, ["Délibération", "Jury souverain", "Délibération du jury"]),
];

/// The title rows above a table; `{annee}` and `{quoi}` are replaced.
pub(crate) const TITRES: [&str; 3] = [
    "BTS Négociation et digitalisation de la relation client – session {annee}",
    "Académie de Lyon – Division des examens et concours",
    "Édition : {quoi}",
];

/// The label of the first summary row under a table (its value: the number of candidates).
pub(crate) const SYNTHESE_EFFECTIF: &str = "Nombre de candidats";

/// The label of the second summary row (its value: the mean of the numbers of the table).
pub(crate) const SYNTHESE_MOYENNE: &str = "Moyenne de la classe";

/// The signature lines under the summary; `{annee}` is replaced.
pub(crate) const SIGNATURES: [&str; 3] = [
    "Le chef de centre",
    "Fait à Lyon, le 04/07/{annee}",
    "Signature et cachet de l'établissement",
];

/// The header of `champ` in wording `forme`; `etab` replaces `{etab}` (or drops it with its
/// dash when there is no single school).
pub(crate) fn entete(champ: Champ, forme: usize, etab: Option<&str>) -> String {
    let mots = match champ {
        Champ::Examen(e) => ENTETES_EXAMENS[rang(e)],
        autre => ENTETES
            .iter()
            .find(|(c, _)| *c == autre)
            .map(|(_, m)| *m)
            .expect("every field has its wordings"),
    };
    let mot = mots[forme % mots.len()];
    match etab {
        Some(nom) => mot.replace("{etab}", nom),
        None => mot.replace(" – {etab}", ""),
    }
}

/// The label of a group of columns in wording `forme`.
pub(crate) fn groupe(g: Groupe, forme: usize) -> &'static str {
    let mots = GROUPES
        .iter()
        .find(|(x, _)| *x == g)
        .map(|(_, m)| *m)
        .expect("every group has its labels");
    mots[forme % mots.len()]
}

fn rang(e: Epreuve) -> usize {
    Epreuve::TOUTES
        .iter()
        .position(|&x| x == e)
        .expect("every exam is in the list")
}

/// How the exam of a long row is named in wording `forme`.
pub(crate) fn examen(e: Epreuve, forme: usize) -> &'static str {
    VALEURS_EXAMENS[rang(e)][forme % 3]
}

/// The spelling of a status code (`ABS`, `ABJ`, `NV`, `DISP`, `BEN`) in wording `forme`.
pub(crate) fn statut(code: &str, forme: usize) -> &'static str {
    let i = ["ABS", "ABJ", "NV", "DISP", "BEN"]
        .iter()
        .position(|c| *c == code)
        .unwrap_or(0);
    VALEURS_STATUTS[forme % 3][i]
}

/// The semester cell of a long livret row: `periode` 0 = S1, 1 = S2, 2 = annual.
pub(crate) fn periode(periode: usize, forme: usize) -> &'static str {
    VALEURS_PERIODES[forme % 3][periode.min(2)]
}

/// Every header wording, for the tests.
#[cfg(test)]
pub(crate) fn toutes_les_entetes() -> Vec<&'static str> {
    ENTETES
        .iter()
        .flat_map(|(_, m)| m.iter().copied())
        .chain(ENTETES_EXAMENS.iter().flatten().copied())
        .chain(GROUPES.iter().flat_map(|(_, m)| m.iter().copied()))
        .collect()
}

/// Every field with wordings, for the tests.
#[cfg(test)]
pub(crate) fn tous_les_champs() -> Vec<Champ> {
    ENTETES
        .iter()
        .map(|(c, _)| *c)
        .chain(Epreuve::TOUTES.map(Champ::Examen))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the reader compares headers.
    use crate::ingest::profile::normalize_label as normalise;

    fn profile_aliases() -> Vec<String> {
        let profil: toml::Table = include_str!("../../../data/profiles/ndrc.toml")
            .parse()
            .expect("profile parses");
        let mut aliases = Vec::new();
        for section in ["champs", "epreuves"] {
            let table = profil[section].as_table().expect("a table");
            for (cle, valeurs) in table {
                aliases.push(normalise(cle));
                let valeurs = valeurs.as_array().expect("an array of aliases");
                aliases.extend(valeurs.iter().filter_map(|v| v.as_str()).map(normalise));
            }
        }
        aliases
    }

    #[test]
    fn no_header_wording_is_an_alias_of_the_profile() {
        let aliases = profile_aliases();
        let sous = super::super::livret::SOUS_LIBELLES
            .iter()
            .flatten()
            .copied();
        for mot in toutes_les_entetes().into_iter().chain(sous) {
            for forme in [
                mot.replace(" – {etab}", ""),
                mot.replace("{etab}", "LYCEE JEAN MOULIN"),
            ] {
                assert!(
                    !aliases.contains(&normalise(&forme)),
                    "« {forme} » is a profile alias"
                );
            }
        }
    }

    #[test]
    fn the_four_wordings_of_a_field_are_distinct_once_normalised() {
        for champ in tous_les_champs() {
            let mut vus: Vec<String> = (0..4).map(|f| normalise(&entete(champ, f, None))).collect();
            vus.sort();
            vus.dedup();
            assert_eq!(vus.len(), 4, "{champ:?}");
        }
    }
}
