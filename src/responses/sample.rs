//! The sample library (`examples/responses/`, built into the binary): what `switchboard
//! demo` puts in its temporary home, so the picker works there with nothing to configure,
//! and a starting point for a team's own library.

use std::path::Path;

/// The sample files: (file name, text).
pub const FILES: [(&str, &str); 6] = [
    (
        "refund-delay.en.md",
        include_str!("../../examples/responses/refund-delay.en.md"),
    ),
    (
        "refund-delay.fr.md",
        include_str!("../../examples/responses/refund-delay.fr.md"),
    ),
    (
        "thanks.en.md",
        include_str!("../../examples/responses/thanks.en.md"),
    ),
    (
        "thanks.fr.md",
        include_str!("../../examples/responses/thanks.fr.md"),
    ),
    (
        "legal-hold.en.md",
        include_str!("../../examples/responses/legal-hold.en.md"),
    ),
    (
        "legal-hold.fr.md",
        include_str!("../../examples/responses/legal-hold.fr.md"),
    ),
];

/// Writes the sample library into `dir` (created if needed).
pub fn write(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, text) in FILES {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::responses::{check, Library};

    #[test]
    fn the_sample_library_is_clean_in_french_and_english() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path()).unwrap();
        let library = Library::load(dir.path());
        assert_eq!(library.responses.len(), FILES.len());
        let problems = check::check(&library);
        assert!(problems.is_empty(), "{problems:#?}");
        for name in library.names() {
            let languages: Vec<&str> = library
                .variants(name)
                .iter()
                .map(|r| r.language.as_str())
                .collect();
            assert_eq!(languages, ["en", "fr"], "{name}");
        }
    }
}
