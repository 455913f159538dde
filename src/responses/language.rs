//! Which language variant of a response answers an item.
//!
//! In this order: the variant in the item's language (its primary subtag, case-insensitive:
//! `fr-CA`, `FR` and `fr_ca` all pick the `fr` file); else English (`en`), the language a
//! team is most likely to have everything in; else the first variant by language code, so
//! the choice never depends on the order files were read in.

use super::library::CannedResponse;

/// The language used when the item's is unknown or has no variant.
pub const FALLBACK: &str = "en";

/// The primary subtag of a language tag, lower-case (`fr-CA` → `fr`); `None` when blank.
pub fn primary(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (!primary.is_empty()).then_some(primary)
}

/// The variant for an item in `language` (see the module docs); `None` only when there
/// are no variants.
pub fn choose<'a>(
    variants: &[&'a CannedResponse],
    language: Option<&str>,
) -> Option<&'a CannedResponse> {
    let wanted = language.and_then(primary);
    let find = |code: &str| variants.iter().copied().find(|r| r.language == code);
    wanted
        .as_deref()
        .and_then(find)
        .or_else(|| find(FALLBACK))
        .or_else(|| {
            variants
                .iter()
                .copied()
                .min_by(|a, b| a.language.cmp(&b.language))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(language: &str) -> CannedResponse {
        CannedResponse {
            name: "thanks".into(),
            language: language.into(),
            tags: Vec::new(),
            platforms: Vec::new(),
            fields: Vec::new(),
            body: format!("body {language}"),
            path: format!("thanks.{language}.md"),
            body_line: 5,
        }
    }

    fn chosen(languages: &[&str], item: Option<&str>) -> Option<String> {
        let variants: Vec<CannedResponse> = languages.iter().map(|l| variant(l)).collect();
        let refs: Vec<&CannedResponse> = variants.iter().collect();
        choose(&refs, item).map(|r| r.language.clone())
    }

    #[test]
    fn the_items_language_then_english_then_the_first() {
        assert_eq!(chosen(&["en", "fr"], Some("fr")).as_deref(), Some("fr"));
        assert_eq!(chosen(&["en", "fr"], Some("fr-CA")).as_deref(), Some("fr"));
        assert_eq!(chosen(&["en", "fr"], Some("FR_ca")).as_deref(), Some("fr"));
        assert_eq!(chosen(&["fr", "en"], Some("de")).as_deref(), Some("en"));
        assert_eq!(chosen(&["fr", "en"], None).as_deref(), Some("en"));
        assert_eq!(chosen(&["fr", "en"], Some(" ")).as_deref(), Some("en"));
        assert_eq!(chosen(&["fr", "de"], Some("it")).as_deref(), Some("de"));
        assert_eq!(chosen(&[], Some("fr")), None);
    }

    #[test]
    fn primary_subtags() {
        assert_eq!(primary("fr-CA").as_deref(), Some("fr"));
        assert_eq!(primary("EN").as_deref(), Some("en"));
        assert_eq!(primary(""), None);
        assert_eq!(primary("-x"), None);
    }
}
