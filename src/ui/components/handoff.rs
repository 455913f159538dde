//! The handoff overlay's state: the latest shift handoff, shown over the panes when the
//! inbox opens (someone else's, from the last day) or on demand, and how far it is scrolled.

use super::super::action::Action;
use super::super::keymap::Context;
use super::Component;
use crate::model::Handoff;

/// The handoff shown, the context its keys are read in (the pane's under it), its scroll.
#[derive(Clone, Debug)]
pub struct HandoffView {
    pub handoff: Handoff,
    pub context: Context,
    pub scroll: usize,
}

impl Component for HandoffView {
    fn context(&self) -> Context {
        self.context
    }
    fn commands(&self) -> &'static [Action] {
        &[Action::MoveDown, Action::MoveUp, Action::Handoff]
    }
}
