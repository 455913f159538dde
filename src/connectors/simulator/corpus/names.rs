//! How people are named: the shape of a language's name bank, and the names of the people
//! who are not customers (trolls, spam accounts).

/// Given and family names for one language. Each name is `(as written, romanized)`; an
/// empty romanized form means the written one is already Latin script (accents are folded
/// when it becomes a handle).
pub(crate) struct NameBank {
    pub given: &'static [(&'static str, &'static str)],
    pub family: &'static [(&'static str, &'static str)],
    /// Family name first, written without a space (Japanese, Chinese, Korean).
    pub family_first: bool,
}

/// Accounts that come back to provoke: `(display name, handle base)`.
pub(crate) const TROLL_NAMES: &[(&str, &str)] = &[
    ("TruthSeeker99", "truthseeker99"),
    ("No Filter Nico", "nofilternico"),
    ("just saying", "just_saying_42"),
    ("Le Vrai Avis", "levraiavis"),
    ("anon 🐸", "anon_frog_77"),
];

/// Spam accounts: `(display name, handle base)`; a number is appended to the handle.
pub(crate) const SPAMMER_NAMES: &[(&str, &str)] = &[
    ("Crypto Mentor Anna 💰", "cryptoanna_fx"),
    ("Followers Boost 🚀", "followers_boost"),
    ("Mark Investment FX", "markinvestfx"),
    ("Lucky Winner 🎁", "lucky_winner"),
    ("Trading avec Julie 📈", "trading_julie"),
    ("Promo Deals 24/7", "promodeals247"),
    ("Sophia | Forex Coach", "sophia_forex"),
];
