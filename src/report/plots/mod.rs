//! Charts drawn with plotters, one file per chart kind, as PNG and SVG. Text is drawn with the
//! DejaVu Sans font compiled into the binary (data/fonts), never a system font, so that a chart is
//! the same on every machine.

pub mod caterpillar;
pub mod distribution;
pub mod livret_chart;
pub mod rates;

use std::sync::OnceLock;

use plotters::style::FontStyle;

use crate::error::{Error, Result};

/// The font family every chart uses.
pub const FONT: &str = "DejaVu Sans";

/// The font file, committed in the repository.
const FONT_BYTES: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");

/// Registers the committed font with plotters once per process.
///
/// # Errors
/// [`Error::Internal`] when the compiled-in font cannot be read (a build defect).
pub fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Internal("police DejaVu Sans illisible".into()))
    }
}
