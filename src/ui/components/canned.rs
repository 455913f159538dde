//! The canned-response picker's state, over the composer: the library the hub gave for the
//! composer's item (one variant per response, in the item's language, allowed on its
//! platform), the query and its fuzzy ranking (`responses/pick.rs`), the highlighted
//! response and its preview filled for the item, then the fill-in fields asked one at a
//! time. The picker is numbered like other calls: only the answer to the `Canned` request
//! it sent is taken, so a late answer for a picker closed since is dropped.

use std::collections::BTreeMap;

use super::super::action::Action;
use super::super::keymap::Context;
use super::line_input::LineInput;
use super::Component;
use crate::model::Item;
use crate::responses::pick::{rank, Ranked};
use crate::responses::template::{self, fields_in_order, FillError};
use crate::responses::{CannedResponse, Field, Library, Problem};

/// The library as it applies to the composer's item.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// One variant per response, sorted by name.
    pub choices: Vec<CannedResponse>,
    /// The built-in variables' values for the item.
    pub context: template::Context,
    /// Files of the library that did not load (the picker says how many).
    pub unread: usize,
}

/// Asking for a chosen response's fill-in fields, one at a time.
#[derive(Clone, Debug)]
pub struct Filling {
    pub response: CannedResponse,
    /// The fields, in the order the body uses them.
    pub fields: Vec<Field>,
    /// The field being asked.
    pub at: usize,
    pub values: BTreeMap<String, String>,
    pub input: LineInput,
    pub error: Option<String>,
}

impl Filling {
    pub fn field(&self) -> &Field {
        &self.fields[self.at]
    }
}

/// What choosing or answering a field leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to do yet (no choice, a field asked, a refusal shown).
    Stay,
    /// The filled text, to insert at the composer's cursor.
    Insert(String),
}

/// An open picker.
#[derive(Clone, Debug)]
pub struct CannedPicker {
    /// The composer's item.
    pub item: Item,
    /// The `Canned` call this picker waits for.
    pub seq: u64,
    pub input: LineInput,
    /// `None` while the library loads.
    pub loaded: Option<Loaded>,
    pub ranked: Vec<Ranked>,
    pub selected: usize,
    /// Why the library could not be loaded, or the chosen response cannot be filled.
    pub error: Option<String>,
    pub filling: Option<Filling>,
}

impl CannedPicker {
    pub fn new(item: Item, seq: u64) -> CannedPicker {
        CannedPicker {
            item,
            seq,
            input: LineInput::default(),
            loaded: None,
            ranked: Vec::new(),
            selected: 0,
            error: None,
            filling: None,
        }
    }

    /// Takes the hub's library (for call `seq`); `false` when it is not this picker's.
    pub fn accept(&mut self, seq: u64, library: Library, brand: &str, agent: &str) -> bool {
        if seq != self.seq {
            return false;
        }
        let choices = library
            .for_item(self.item.lang.as_deref(), &self.item.platform)
            .into_iter()
            .cloned()
            .collect();
        self.loaded = Some(Loaded {
            choices,
            context: template::Context::for_item(&self.item, agent, brand),
            unread: unread(&library.problems),
        });
        self.refilter();
        true
    }

    /// The hub could not give the library (for call `seq`).
    pub fn refuse(&mut self, seq: u64, message: String) -> bool {
        if seq != self.seq {
            return false;
        }
        self.error = Some(message);
        true
    }

    /// Ranks the choices for the query.
    pub fn refilter(&mut self) {
        let Some(loaded) = &self.loaded else {
            return;
        };
        let choices: Vec<&CannedResponse> = loaded.choices.iter().collect();
        self.ranked = rank(&choices, self.input.text());
        self.selected = 0;
        self.error = None;
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.ranked.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The highlighted response.
    pub fn current(&self) -> Option<&CannedResponse> {
        let loaded = self.loaded.as_ref()?;
        let ranked = self.ranked.get(self.selected)?;
        loaded.choices.get(ranked.index)
    }

    /// The response being filled, else the highlighted one, filled as far as it can be.
    pub fn preview(&self) -> Option<(&CannedResponse, Result<String, FillError>)> {
        let context = &self.loaded.as_ref()?.context;
        if let Some(filling) = &self.filling {
            // What is being typed shows in place as it is typed.
            let mut values = filling.values.clone();
            values.insert(
                filling.field().key.clone(),
                filling.input.text().to_string(),
            );
            let text = template::preview(&filling.response, context, &values);
            return Some((&filling.response, text));
        }
        let response = self.current()?;
        Some((
            response,
            template::preview(response, context, &BTreeMap::new()),
        ))
    }

    /// Chooses the highlighted response: its text when it has no fields, else the first
    /// field is asked.
    pub fn choose(&mut self) -> Outcome {
        let Some(response) = self.current().cloned() else {
            return Outcome::Stay;
        };
        let fields: Vec<Field> = fields_in_order(&response).into_iter().cloned().collect();
        if fields.is_empty() {
            return self.finish(&response, &BTreeMap::new());
        }
        self.filling = Some(Filling {
            response,
            fields,
            at: 0,
            values: BTreeMap::new(),
            input: LineInput::default(),
            error: None,
        });
        Outcome::Stay
    }

    /// The field being asked was answered: the next one is asked, or the text is ready.
    pub fn answer_field(&mut self) -> Outcome {
        let Some(filling) = &mut self.filling else {
            return Outcome::Stay;
        };
        let value = filling.input.text().trim().to_string();
        if value.is_empty() {
            filling.error = Some(format!(
                "{} is needed for this response",
                filling.field().prompt
            ));
            return Outcome::Stay;
        }
        filling.values.insert(filling.field().key.clone(), value);
        filling.at += 1;
        filling.error = None;
        if filling.at < filling.fields.len() {
            filling.input = LineInput::default();
            return Outcome::Stay;
        }
        let (response, values) = (filling.response.clone(), filling.values.clone());
        self.filling = None;
        self.finish(&response, &values)
    }

    fn finish(&mut self, response: &CannedResponse, values: &BTreeMap<String, String>) -> Outcome {
        let Some(loaded) = &self.loaded else {
            return Outcome::Stay;
        };
        match template::fill(response, &loaded.context, values) {
            Ok(text) => Outcome::Insert(text),
            Err(e) => {
                self.error = Some(format!("cannot use {}: {e}", response.name));
                Outcome::Stay
            }
        }
    }
}

fn unread(problems: &[Problem]) -> usize {
    problems.iter().filter(|p| p.is_error()).count()
}

impl Component for CannedPicker {
    fn context(&self) -> Context {
        match self.filling {
            Some(_) => Context::Compose,
            None => Context::Picker,
        }
    }

    fn commands(&self) -> &'static [Action] {
        match self.filling {
            Some(_) => &[Action::Confirm, Action::Cancel],
            None => &[
                Action::Confirm,
                Action::MoveDown,
                Action::MoveUp,
                Action::Cancel,
            ],
        }
    }
}

#[cfg(test)]
#[path = "canned_tests.rs"]
mod tests;
