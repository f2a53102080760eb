//! How files come in and go out, for every format: the size-limited reader
//! ([`read`]), the RON toolkit that parses and locates errors at their line
//! and column ([`ron`]), the atomic writer ([`atomic`]) and CSV and TSV
//! for other programs ([`delimited`]). No egui here:
//! the model, the command line and the window all use it.

pub mod atomic;
pub mod delimited;
pub mod read;
pub mod ron;

pub use self::read::{MAX_FILE_BYTES, read_bytes, read_head, read_text};
pub use self::ron::{
    check_format_version, locate_all, locate_each, locate_key, parse_ron, pretty_ron,
};
