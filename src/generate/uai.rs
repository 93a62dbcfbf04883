//! The UAI school identifier: 7 digits followed by a control letter computed from them.
//!
//! Takes the 7-digit number of a school, gives its full code or a deliberately wrong one (for the
//! planted error). It does not parse codes found in user files: that is the ingester's job.

/// The 23 control letters, indexed by `number mod 23` (I, O and Q are never used).
const LETTRES: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// The control letter of a 7-digit UAI number.
pub(crate) fn control_letter(number: u32) -> char {
    char::from(LETTRES[(number % 23) as usize])
}

/// The full UAI code of a school: its 7 digits, zero-padded, then the control letter.
pub(crate) fn format_uai(number: u32) -> String {
    format!("{number:07}{}", control_letter(number))
}

/// The right digits followed by a wrong control letter (the next letter of the table).
pub(crate) fn format_uai_with_wrong_letter(number: u32) -> String {
    let wrong = LETTRES[((number % 23 + 1) % 23) as usize];
    format!("{number:07}{}", char::from(wrong))
}

/// Whether a code is 7 digits followed by the right control letter.
#[cfg(test)]
pub(crate) fn is_valid_uai(code: &str) -> bool {
    let (digits, letter) = code.split_at(code.len().min(7));
    digits.len() == 7
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits
            .parse::<u32>()
            .is_ok_and(|n| letter.len() == 1 && letter.starts_with(control_letter(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_get_their_published_letter() {
        assert_eq!(format_uai(3_500_050), "3500050C");
        assert_eq!(format_uai(921_234), "0921234S");
    }

    #[test]
    fn wrong_letter_is_rejected_and_right_one_accepted() {
        assert!(is_valid_uai("0921234S"));
        assert!(!is_valid_uai(&format_uai_with_wrong_letter(921_234)));
        assert!(!is_valid_uai("092123S"));
        assert!(!is_valid_uai("0921234"));
    }
}
