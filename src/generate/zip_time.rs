//! Clears the modification times of a zip archive, so that an `.ods` file is byte-identical from
//! one run to the next.
//!
//! The ODS writer stamps every zip entry with the current time and offers no option against it.
//! Zip stores that time in two fixed places per entry (the local header and the central directory
//! record), outside the compressed data and its CRC, so setting both to the zip epoch
//! (1980-01-01 00:00, the value the xlsx writer uses) changes nothing else.

use crate::error::{Error, Result};

const FIN_REPERTOIRE: [u8; 4] = *b"PK\x05\x06";
const ENTREE_REPERTOIRE: [u8; 4] = *b"PK\x01\x02";
const ENTETE_LOCALE: [u8; 4] = *b"PK\x03\x04";

/// DOS time 00:00:00 and date 1980-01-01.
const HEURE_ZERO: u16 = 0;
const DATE_ZERO: u16 = (1 << 5) | 1;

fn read_u16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn read_u32(bytes: &[u8], at: usize) -> Option<usize> {
    let v = u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?);
    usize::try_from(v).ok()
}

fn has_signature(bytes: &[u8], at: usize, signature: [u8; 4]) -> bool {
    bytes.get(at..at + 4) == Some(&signature[..])
}

fn write_time(bytes: &mut [u8], at: usize) -> Option<()> {
    bytes
        .get_mut(at..at + 2)?
        .copy_from_slice(&HEURE_ZERO.to_le_bytes());
    bytes
        .get_mut(at + 2..at + 4)?
        .copy_from_slice(&DATE_ZERO.to_le_bytes());
    Some(())
}

/// Sets the modification time of every entry of the archive to 1980-01-01 00:00.
///
/// # Errors
///
/// [`Error::Internal`] if the bytes are not a well-formed zip archive (a bug of the writer).
pub(crate) fn clear_zip_times(bytes: &mut [u8]) -> Result<()> {
    clear(bytes).ok_or_else(|| Error::Internal("archive zip mal formée".into()))
}

fn clear(bytes: &mut [u8]) -> Option<()> {
    let fin = (0..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| has_signature(bytes, at, FIN_REPERTOIRE))?;
    let entrees = read_u16(bytes, fin + 10)?;
    let mut at = read_u32(bytes, fin + 16)?;
    for _ in 0..entrees {
        if !has_signature(bytes, at, ENTREE_REPERTOIRE) {
            return None;
        }
        write_time(bytes, at + 12)?;
        let locale = read_u32(bytes, at + 42)?;
        if !has_signature(bytes, locale, ENTETE_LOCALE) {
            return None;
        }
        write_time(bytes, locale + 10)?;
        let noms = usize::from(read_u16(bytes, at + 28)?)
            + usize::from(read_u16(bytes, at + 30)?)
            + usize::from(read_u16(bytes, at + 32)?);
        at += 46 + noms;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_refused_not_panicked_on() {
        assert!(clear_zip_times(&mut [0u8; 10]).is_err());
        let mut fake = vec![0u8; 40];
        fake[10..14].copy_from_slice(&FIN_REPERTOIRE);
        fake[20] = 3;
        assert!(clear_zip_times(&mut fake).is_err());
    }
}
