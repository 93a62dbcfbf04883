//! French surnames and first names used to populate the synthetic candidates.
//!
//! The lists deliberately hold what real exports contain and naive code trips on: accents
//! (É, È, Ë, Ï, Ç, Œ), apostrophes both straight and typographic, hyphens and spaces. Every
//! character exists in Windows-1252, so the "Liste simple" export can be encoded losslessly.

/// Surnames, upper case as the national application writes them.
pub(crate) const NOMS: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFÈVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "FRANÇOIS",
    "MERCIER",
    "GUÉRIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "CLÉMENT",
    "GAUTHIER",
    "PERRIN",
    "ROBIN",
    "MASSON",
    "SANCHEZ",
    "NGUYEN",
    "N'DIAYE",
    "D'ALMEIDA",
    "D’ANGELO",
    "DIALLO",
    "TRAORÉ",
    "BENALI",
    "HADDAD",
    "ÖZTÜRK",
    "KOÇ",
    "MÉNARD",
    "BÉRANGER",
    "LECŒUR",
    "CÔTÉ",
    "PRÉVOST",
    "LE GOFF",
    "DE LA FONTAINE",
    "MARTIN-DUBOIS",
    "BARRÈRE",
    "FAURE",
    "BLANC",
    "GUILLAUME",
    "PICARD",
    "RENAUD",
    "ARNAUD",
    "COLIN",
    "VIDAL",
    "BRUN",
    "CARON",
    "AUBERT",
    "ROCHE",
    "LOPEZ",
    "GARCIA",
    "FERREIRA",
    "PEREIRA",
    "BOURGEOIS",
    "JOLY",
    "GAILLARD",
    "MEUNIER",
    "BRIAND",
    "DESCHAMPS",
];

/// First names of female candidates.
pub(crate) const PRENOMS_F: &[&str] = &[
    "Éloïse",
    "Gaëlle",
    "Chloé",
    "Léa",
    "Manon",
    "Inès",
    "Camille",
    "Zoé",
    "Anaïs",
    "Maëlys",
    "Océane",
    "Lou",
    "Héloïse",
    "Sarah",
    "Yasmine",
    "Aïcha",
    "Clémence",
    "Noémie",
    "Lina",
    "Jade",
    "Emma",
    "Louise",
    "Ambre",
    "Léna",
    "Justine",
    "Mélanie",
    "Laura",
    "Émilie",
    "Marie-Éloïse",
    "Fatoumata",
    "Aurélie",
    "Pauline",
    "Cécile",
    "Nolwenn",
    "Salomé",
    "Eva",
];

/// First names of male candidates.
pub(crate) const PRENOMS_M: &[&str] = &[
    "Noël",
    "Théo",
    "Lucas",
    "Hugo",
    "Mathéo",
    "Raphaël",
    "Jérémy",
    "Loïc",
    "Gaël",
    "Anthony",
    "Enzo",
    "Nathan",
    "Maxime",
    "Kévin",
    "Adrien",
    "Mehdi",
    "Yanis",
    "François",
    "Jérôme",
    "Benoît",
    "Rémi",
    "Timothée",
    "Ilyès",
    "Mamadou",
    "Quentin",
    "Baptiste",
    "Jean-Noël",
    "Clément",
    "Valentin",
    "Dylan",
    "Bastien",
    "Florian",
    "Sébastien",
    "Thibault",
    "Joël",
    "Ethan",
];

/// An ASCII upper-case sort key: the national export sorts "LEFÈVRE" among the "LEF…", not last.
pub(crate) fn sort_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            'À' | 'Â' | 'Ä' | 'à' | 'â' | 'ä' => key.push('A'),
            'Ç' | 'ç' => key.push('C'),
            'É' | 'È' | 'Ê' | 'Ë' | 'é' | 'è' | 'ê' | 'ë' => key.push('E'),
            'Î' | 'Ï' | 'î' | 'ï' => key.push('I'),
            'Ô' | 'Ö' | 'ô' | 'ö' => key.push('O'),
            'Ù' | 'Û' | 'Ü' | 'ù' | 'û' | 'ü' => key.push('U'),
            'Œ' | 'œ' => key.push_str("OE"),
            other => key.extend(other.to_uppercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_exists_in_windows_1252() {
        for name in NOMS.iter().chain(PRENOMS_F).chain(PRENOMS_M) {
            let (_, _, lossy) = encoding_rs::WINDOWS_1252.encode(name);
            assert!(!lossy, "{name} cannot be written in Windows-1252");
        }
    }

    #[test]
    fn accented_names_sort_with_their_plain_letters() {
        assert_eq!(sort_key("LEFÈVRE"), "LEFEVRE");
        assert_eq!(sort_key("Éloïse"), "ELOISE");
        assert_eq!(sort_key("LECŒUR"), "LECOEUR");
    }
}
