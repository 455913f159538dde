//! Text folded for matching words: lower case, accents removed (`Arnaqué` → `arnaque`,
//! `ÉNORME` → `enorme`, decomposed accents too), then cut into words at anything that is
//! not a letter or digit, in any script. Scripts written without spaces (Chinese,
//! Japanese, Thai...) have no word boundaries to find: a phrase in them is matched inside
//! the folded text instead.

use std::ops::Range;

/// Characters of an item's text looked at for words.
pub const SCOPE: usize = 64 * 1024;

/// Lower case without accents. ASCII runs are copied and lowered in bulk (most of most
/// messages); other characters one at a time.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            fold_char(c, &mut out);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn fold_char(c: char, out: &mut String) {
    if is_combining_mark(c) {
        return;
    }
    for lower in c.to_lowercase() {
        match base_letter(lower) {
            Some(base) => out.push_str(base),
            None => out.push(if lower == 'ς' { 'σ' } else { lower }),
        }
    }
}

/// The folded words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    let folded = fold(text);
    word_ranges(&folded)
        .into_iter()
        .map(|r| folded[r].to_string())
        .collect()
}

/// Where the words of a folded text are: runs of letters and digits (ASCII bytes are
/// tested as bytes, the rest as characters).
fn word_ranges(folded: &str) -> Vec<Range<usize>> {
    let bytes = folded.as_bytes();
    let mut ranges = Vec::new();
    let (mut at, mut start) = (0, None);
    while at < bytes.len() {
        let (alphanumeric, len) = match bytes[at] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            _ => {
                let c = folded[at..].chars().next().unwrap_or(' ');
                (c.is_alphanumeric(), c.len_utf8())
            }
        };
        match (alphanumeric, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                ranges.push(from..at);
                start = None;
            }
            _ => {}
        }
        at += len;
    }
    ranges.extend(start.map(|from| from..bytes.len()));
    ranges
}

/// A needle prepared once: its folded words, or its folded text when it is written in a
/// script without spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Needle {
    Words(Vec<String>),
    Unspaced(String),
}

impl Needle {
    pub fn new(phrase: &str) -> Needle {
        if phrase.chars().any(is_unspaced) {
            Needle::Unspaced(fold(phrase).split_whitespace().collect())
        } else {
            Needle::Words(words(phrase))
        }
    }
}

/// An item's text prepared once for many needles: folded, and its words located.
pub struct Haystack {
    folded: String,
    words: Vec<Range<usize>>,
}

impl Haystack {
    /// The text's first [`SCOPE`] characters (a megabyte of hostile text costs no more).
    pub fn new(text: &str) -> Haystack {
        let scoped = match text.char_indices().nth(SCOPE) {
            Some((at, _)) => &text[..at],
            None => text,
        };
        let folded = fold(scoped);
        let words = word_ranges(&folded);
        Haystack { folded, words }
    }

    /// Whether the needle's words occur here consecutively, as whole words.
    pub fn contains(&self, needle: &Needle) -> bool {
        match needle {
            Needle::Words(words) if words.is_empty() => false,
            Needle::Words(words) => self.words.windows(words.len()).any(|window| {
                window
                    .iter()
                    .zip(words)
                    .all(|(range, word)| &self.folded[range.clone()] == word)
            }),
            Needle::Unspaced(text) => !text.is_empty() && self.folded.contains(text.as_str()),
        }
    }
}

/// Scripts whose words are not delimited by spaces (Han, kana, Thai, Lao, Khmer, Myanmar),
/// and Hangul, whose spaced words carry their particles attached (`사기입니다`).
fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}'   // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
    )
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The base letters of the precomposed Latin letters of Western and Central European
/// languages (lower case).
fn base_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_and_accents_precomposed_or_not() {
        assert_eq!(fold("ARNAQUÉ Honteux"), "arnaque honteux");
        assert_eq!(fold("e\u{0301}norme"), "enorme");
        assert_eq!(fold("Œuvre Straße"), "oeuvre strasse");
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
    }

    #[test]
    fn needles_match_whole_words_and_phrases() {
        let text = Haystack::new("J'appelle mon AVOCAT — mise   en demeure!");
        assert!(text.contains(&Needle::new("avocat")));
        assert!(text.contains(&Needle::new("Mise en Démeure")));
        assert!(!text.contains(&Needle::new("avoc")));
        assert!(!text.contains(&Needle::new("demeure mise")));
        assert!(!Haystack::new("scammer").contains(&Needle::new("scam")));
    }

    #[test]
    fn other_scripts_match_too() {
        assert!(Haystack::new("Это МОШЕННИЧЕСТВО!").contains(&Needle::new("мошенничество")));
        assert!(Haystack::new("これは詐欺です").contains(&Needle::new("詐欺")));
        assert!(!Haystack::new("これは").contains(&Needle::new("詐欺")));
        assert!(!Haystack::new("anything").contains(&Needle::new("!!")));
    }

    #[test]
    fn only_the_first_scope_characters_are_looked_at() {
        let padded = format!("{} lawyer", "é".repeat(SCOPE));
        assert!(!Haystack::new(&padded).contains(&Needle::new("lawyer")));
        let inside = format!("{} lawyer", "é".repeat(SCOPE - 10));
        assert!(Haystack::new(&inside).contains(&Needle::new("lawyer")));
    }
}
