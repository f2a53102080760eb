//! `trajectoire run`: simulate and print every variable for every year.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{CommandResult, Format, Names, Outcome, open_with_levers, to_delimited, to_table};
use crate::io::delimited::Separator;

pub(super) fn run(
    file: Option<&Path>,
    set: &[String],
    (format, names): (Format, Names),
    out: Option<&Path>,
    data: &[PathBuf],
) -> CommandResult {
    let (opened, levers) = open_with_levers(file, set, data)?;
    let mut stderr = String::new();
    for w in &opened.warnings {
        let _ = writeln!(stderr, "warning: {}", w.en);
    }
    let model = &opened.model;
    let run = model.run(&levers);
    let text = match format {
        Format::Csv => to_delimited(model, &run, &levers, names, Separator::Comma),
        Format::Tsv => to_delimited(model, &run, &levers, names, Separator::Tab),
        Format::Table => to_table(model, &run),
    };
    let mut status = 0;
    for p in &run.problems {
        let _ = writeln!(stderr, "error: {p}");
        status = 1;
    }
    let Some(path) = out else {
        return Ok(Outcome {
            stdout: text,
            stderr,
            status,
        });
    };
    if let Err(e) = crate::io::atomic::write(path, text.as_bytes()) {
        let _ = writeln!(stderr, "{}: cannot write: {e}", path.display());
        status = 1;
    }
    Ok(Outcome {
        stdout: String::new(),
        stderr,
        status,
    })
}
