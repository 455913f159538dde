//! The command palette: every action (but line editing) by name and description, ranked
//! by fuzzy match (fuzzy-matcher's skim algorithm) against what is typed.

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

use super::super::action::Action;
use super::line_input::LineInput;

/// One ranked action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaletteMatch {
    pub action: Action,
    pub score: i64,
    /// Char indices of the matched characters in the action's name.
    pub name_hits: Vec<usize>,
}

/// An open palette.
#[derive(Clone, Debug)]
pub struct Palette {
    pub input: LineInput,
    pub matches: Vec<PaletteMatch>,
    pub selected: usize,
}

impl Default for Palette {
    fn default() -> Palette {
        let mut palette = Palette {
            input: LineInput::default(),
            matches: Vec::new(),
            selected: 0,
        };
        palette.refilter();
        palette
    }
}

impl Palette {
    /// Re-ranks the actions for the typed pattern.
    pub fn refilter(&mut self) {
        let pattern = self.input.text().trim();
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut matches: Vec<PaletteMatch> = Action::ALL
            .iter()
            .copied()
            .filter(|a| a.in_palette())
            .filter_map(|action| rank(&matcher, action, pattern))
            .collect();
        // Stable: equal scores keep the actions' own order.
        matches.sort_by_key(|m| std::cmp::Reverse(m.score));
        self.matches = matches;
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.matches.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn current(&self) -> Option<Action> {
        self.matches.get(self.selected).map(|m| m.action)
    }
}

fn rank(matcher: &SkimMatcherV2, action: Action, pattern: &str) -> Option<PaletteMatch> {
    if pattern.is_empty() {
        return Some(PaletteMatch {
            action,
            score: 0,
            name_hits: Vec::new(),
        });
    }
    let by_name = matcher.fuzzy_indices(action.name(), pattern);
    // A description match ranks below a name match of the same quality.
    let by_description = matcher
        .fuzzy_match(action.description(), pattern)
        .map(|score| score / 2);
    let (score, name_hits) = match (by_name, by_description) {
        (None, None) => return None,
        (Some((score, hits)), None) => (score, hits),
        (Some((score, hits)), Some(other)) if score >= other => (score, hits),
        (_, Some(score)) => (score, Vec::new()),
    };
    Some(PaletteMatch {
        action,
        score,
        name_hits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_names_and_descriptions_without_editing_actions() {
        let mut palette = Palette::default();
        assert!(palette.matches.iter().all(|m| m.action.in_palette()));
        palette.input.set("resnext");
        palette.refilter();
        assert_eq!(palette.current(), Some(Action::ResolveNext));
        assert!(!palette.matches[0].name_hits.is_empty());
        palette.input.set("spam");
        palette.refilter();
        assert_eq!(palette.current(), Some(Action::Spam));
        palette.input.set("binding");
        palette.refilter();
        assert_eq!(palette.current(), Some(Action::Help));
        palette.input.set("zzzzqqq");
        palette.refilter();
        assert_eq!(palette.current(), None);
    }
}
