//! Key chords: one key with its modifiers, parsed from keymap text (`ctrl-d`, `C-x`, `M-<`,
//! `G`, `space`, `enter`) and from crossterm events, both normalized the same way so a
//! binding written either way matches what the terminal sends.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key press: a key and the modifiers that matter (ctrl, alt, shift on named keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyChord {
    pub code: ChordKey,
    pub ctrl: bool,
    pub alt: bool,
    /// Only for named keys: a shifted character is its own character (`G`, `<`).
    pub shift: bool,
}

/// The key part of a chord.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChordKey {
    Char(char),
    Named(NamedKey),
    F(u8),
}

/// Keys without a character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NamedKey {
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

const NAMES: &[(&str, NamedKey)] = &[
    ("enter", NamedKey::Enter),
    ("return", NamedKey::Enter),
    ("ret", NamedKey::Enter),
    ("esc", NamedKey::Esc),
    ("escape", NamedKey::Esc),
    ("tab", NamedKey::Tab),
    ("backtab", NamedKey::BackTab),
    ("backspace", NamedKey::Backspace),
    ("bs", NamedKey::Backspace),
    ("delete", NamedKey::Delete),
    ("del", NamedKey::Delete),
    ("insert", NamedKey::Insert),
    ("ins", NamedKey::Insert),
    ("up", NamedKey::Up),
    ("down", NamedKey::Down),
    ("left", NamedKey::Left),
    ("right", NamedKey::Right),
    ("home", NamedKey::Home),
    ("end", NamedKey::End),
    ("pageup", NamedKey::PageUp),
    ("pgup", NamedKey::PageUp),
    ("pagedown", NamedKey::PageDown),
    ("pgdn", NamedKey::PageDown),
];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("ctrl-", Modifier::Ctrl),
    ("control-", Modifier::Ctrl),
    ("c-", Modifier::Ctrl),
    ("alt-", Modifier::Alt),
    ("meta-", Modifier::Alt),
    ("m-", Modifier::Alt),
    ("a-", Modifier::Alt),
    ("shift-", Modifier::Shift),
    ("s-", Modifier::Shift),
];

#[derive(Clone, Copy)]
enum Modifier {
    Ctrl,
    Alt,
    Shift,
}

/// Why a key in a keymap cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    #[error("empty key")]
    Empty,
    #[error("unknown key name \"{0}\" (expected one character, or enter, esc, tab, backtab, backspace, delete, insert, up, down, left, right, home, end, pageup, pagedown, space, f1..f24)")]
    UnknownName(String),
    #[error("\"{0}\": a modifier needs a key after it")]
    DanglingModifier(String),
}

impl KeyChord {
    pub const fn plain(c: char) -> KeyChord {
        KeyChord {
            code: ChordKey::Char(c),
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    pub const fn named(key: NamedKey) -> KeyChord {
        KeyChord {
            code: ChordKey::Named(key),
            ctrl: false,
            alt: false,
            shift: false,
        }
    }

    pub const fn ctrl(c: char) -> KeyChord {
        KeyChord {
            code: ChordKey::Char(c),
            ctrl: true,
            alt: false,
            shift: false,
        }
    }

    /// Parses one chord such as `j`, `G`, `ctrl-d`, `C-x`, `M-<`, `shift-tab`, `f5`.
    pub fn parse(text: &str) -> Result<KeyChord, KeyParseError> {
        if text.is_empty() {
            return Err(KeyParseError::Empty);
        }
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        let mut rest = text;
        while let Some((prefix, modifier)) = MODIFIERS
            .iter()
            .find(|(p, _)| rest.len() > p.len() && starts_with_ignore_case(rest, p))
        {
            match modifier {
                Modifier::Ctrl => ctrl = true,
                Modifier::Alt => alt = true,
                Modifier::Shift => shift = true,
            }
            rest = &rest[prefix.len()..];
        }
        if MODIFIERS.iter().any(|(p, _)| rest.eq_ignore_ascii_case(p)) {
            return Err(KeyParseError::DanglingModifier(text.to_string()));
        }
        let code = parse_base(rest)?;
        Ok(KeyChord {
            code,
            ctrl,
            alt,
            shift,
        }
        .normalized())
    }

    /// The chord a terminal key event means; `None` for releases and keys we never bind.
    pub fn from_event(event: &KeyEvent) -> Option<KeyChord> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let code = match event.code {
            KeyCode::Char(c) => ChordKey::Char(c),
            KeyCode::F(n) => ChordKey::F(n),
            KeyCode::Enter => ChordKey::Named(NamedKey::Enter),
            KeyCode::Esc => ChordKey::Named(NamedKey::Esc),
            KeyCode::Tab => ChordKey::Named(NamedKey::Tab),
            KeyCode::BackTab => ChordKey::Named(NamedKey::BackTab),
            KeyCode::Backspace => ChordKey::Named(NamedKey::Backspace),
            KeyCode::Delete => ChordKey::Named(NamedKey::Delete),
            KeyCode::Insert => ChordKey::Named(NamedKey::Insert),
            KeyCode::Up => ChordKey::Named(NamedKey::Up),
            KeyCode::Down => ChordKey::Named(NamedKey::Down),
            KeyCode::Left => ChordKey::Named(NamedKey::Left),
            KeyCode::Right => ChordKey::Named(NamedKey::Right),
            KeyCode::Home => ChordKey::Named(NamedKey::Home),
            KeyCode::End => ChordKey::Named(NamedKey::End),
            KeyCode::PageUp => ChordKey::Named(NamedKey::PageUp),
            KeyCode::PageDown => ChordKey::Named(NamedKey::PageDown),
            _ => return None,
        };
        let mods = event.modifiers;
        Some(
            KeyChord {
                code,
                ctrl: mods.contains(KeyModifiers::CONTROL),
                alt: mods.contains(KeyModifiers::ALT),
                shift: mods.contains(KeyModifiers::SHIFT),
            }
            .normalized(),
        )
    }

    /// One spelling per key: shifted characters are their own character, `shift-tab` is
    /// `backtab`, control letters are lower case.
    fn normalized(mut self) -> KeyChord {
        match self.code {
            ChordKey::Char(c) => {
                if self.shift && c.is_ascii_lowercase() {
                    self.code = ChordKey::Char(c.to_ascii_uppercase());
                }
                if self.ctrl && c.is_ascii_uppercase() && !self.shift {
                    self.code = ChordKey::Char(c.to_ascii_lowercase());
                }
                self.shift = false;
            }
            ChordKey::Named(NamedKey::Tab) if self.shift => {
                self.code = ChordKey::Named(NamedKey::BackTab);
                self.shift = false;
            }
            ChordKey::Named(NamedKey::BackTab) => self.shift = false,
            _ => {}
        }
        self
    }

    /// The character this chord types into a text input, if it is a plain character.
    pub fn text(&self) -> Option<char> {
        match self.code {
            ChordKey::Char(c) if !self.ctrl && !self.alt && !c.is_control() => Some(c),
            _ => None,
        }
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn parse_base(text: &str) -> Result<ChordKey, KeyParseError> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(ChordKey::Char(c));
    }
    let lower = text.to_ascii_lowercase();
    if lower == "space" || lower == "spc" {
        return Ok(ChordKey::Char(' '));
    }
    if let Some((_, key)) = NAMES.iter().find(|(name, _)| *name == lower) {
        return Ok(ChordKey::Named(*key));
    }
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        if (1..=24).contains(&n) {
            return Ok(ChordKey::F(n));
        }
    }
    Err(KeyParseError::UnknownName(text.to_string()))
}

/// Parses a sequence of chords separated by spaces (`g g`, `space t`, `C-x C-s`).
pub fn parse_sequence(text: &str) -> Result<Vec<KeyChord>, KeyParseError> {
    if text == " " {
        return Ok(vec![KeyChord::plain(' ')]);
    }
    let chords: Vec<KeyChord> = text
        .split_whitespace()
        .map(KeyChord::parse)
        .collect::<Result<_, _>>()?;
    if chords.is_empty() {
        return Err(KeyParseError::Empty);
    }
    Ok(chords)
}

/// A sequence as the help overlay shows it: `g g`, `ctrl-d`.
pub fn sequence_label(chords: &[KeyChord]) -> String {
    chords
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            ChordKey::Char(' ') => f.write_str("space"),
            ChordKey::Char(c) => write!(f, "{c}"),
            ChordKey::F(n) => write!(f, "f{n}"),
            ChordKey::Named(key) => {
                let name = NAMES
                    .iter()
                    .find(|(_, k)| *k == key)
                    .map_or("?", |(name, _)| name);
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn emacs_and_long_spellings_mean_the_same_chord() {
        assert_eq!(KeyChord::parse("C-x").unwrap(), KeyChord::ctrl('x'));
        assert_eq!(KeyChord::parse("ctrl-x").unwrap(), KeyChord::ctrl('x'));
        assert_eq!(KeyChord::parse("Ctrl-X").unwrap(), KeyChord::ctrl('x'));
        let meta_lt = KeyChord::parse("M-<").unwrap();
        assert!(meta_lt.alt && meta_lt.code == ChordKey::Char('<'));
        assert_eq!(KeyChord::parse("shift-g").unwrap(), KeyChord::plain('G'));
        assert_eq!(
            KeyChord::parse("S-tab").unwrap(),
            KeyChord::named(NamedKey::BackTab)
        );
        assert_eq!(KeyChord::parse("-").unwrap(), KeyChord::plain('-'));
        assert_eq!(KeyChord::parse("c").unwrap(), KeyChord::plain('c'));
    }

    #[test]
    fn terminal_events_normalize_like_keymap_text() {
        let shifted = event(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(KeyChord::from_event(&shifted), Some(KeyChord::plain('G')));
        let ctrl_d = event(KeyCode::Char('d'), KeyModifiers::CONTROL);
        assert_eq!(KeyChord::from_event(&ctrl_d), Some(KeyChord::ctrl('d')));
        let backtab = event(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(
            KeyChord::from_event(&backtab),
            Some(KeyChord::named(NamedKey::BackTab))
        );
    }

    #[test]
    fn sequences_and_bad_keys() {
        assert_eq!(
            parse_sequence("g g").unwrap(),
            vec![KeyChord::plain('g'), KeyChord::plain('g')]
        );
        assert_eq!(parse_sequence(" ").unwrap(), vec![KeyChord::plain(' ')]);
        assert_eq!(parse_sequence("space t").unwrap()[0], KeyChord::plain(' '));
        assert_eq!(
            KeyChord::parse("ctrl-"),
            Err(KeyParseError::DanglingModifier("ctrl-".into()))
        );
        assert_eq!(KeyChord::parse("C--").unwrap(), KeyChord::ctrl('-'));
        assert_eq!(
            KeyChord::parse("enterr"),
            Err(KeyParseError::UnknownName("enterr".into()))
        );
        assert_eq!(parse_sequence(""), Err(KeyParseError::Empty));
        assert_eq!(
            sequence_label(&parse_sequence("C-x  C-s").unwrap()),
            "ctrl-x ctrl-s"
        );
    }
}
