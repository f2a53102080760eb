//! Feeds arbitrary bytes to the registry's content sniffing, to the loader
//! the window and the command line use for every model or scenario, and to
//! the XMILE and Vensim importers.
//! It must answer with a value or an error, never panic, hang or overflow the
//! stack; whatever opens must run.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = trajectoire::formats::sniff_bytes(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(opened) = trajectoire::scenario::open_text(text, None) {
        let run = opened.model.run(&opened.levers);
        let _ = run.problems.len();
    }
    if let Ok(imported) = trajectoire::formats::xmile::read(text, "fuzz")
        && let Ok(model) = imported.compile(None)
    {
        let _ = model.run(&model.default_levers()).problems.len();
    }
    if let Ok(imported) = trajectoire::formats::mdl::read(text, "fuzz")
        && let Ok(model) = imported.compile(None)
    {
        let _ = model.run(&model.default_levers()).problems.len();
    }
});
