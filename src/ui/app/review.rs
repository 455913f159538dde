//! Going to the review question. `send` asks "Send to @handle on x? public reply ·
//! 212/280 weighted characters · costs $0.015" (the cost where the platform bills the
//! reply: `responses::cost`) only when the platform would take the reply: not when there
//! is nothing to send, when the text is too long (counted the platform's way), or when
//! Meta's messaging window has closed. Then the composer says why and stays editing. The
//! window comes from the hub with the item's detail (only the hub knows whether the account
//! may use the human-agent tag) and is read at the app's clock, so it counts down live.

use super::super::components::{Stage, WindowLine};
use super::super::msg::Effect;
use super::App;
use crate::responses::window::{ReplyWindow, Window};

impl App {
    /// What the hub said of the window of a reply to the composer's item, once the detail
    /// pane has it.
    fn reply_window_basis(&self) -> Option<ReplyWindow> {
        let composer = self.composer.as_ref()?;
        let detail = self.detail.as_ref().filter(|d| d.id() == composer.id())?;
        detail.detail.as_ref()?.reply_window
    }

    /// The composer's messaging window now, if its reply has one.
    pub fn reply_window(&self) -> Option<Window> {
        self.reply_window_basis().map(|basis| basis.at(self.now))
    }

    /// The composer's window line ("messaging window: 3h 12m left"), if there is one.
    pub fn reply_window_line(&self) -> Option<WindowLine> {
        WindowLine::of(&self.reply_window()?, self.now)
    }
}

/// `send` while editing: the review question, or why not.
pub fn ask(app: &mut App) -> Vec<Effect> {
    let refusal = refusal(app);
    if let Some(composer) = &mut app.composer {
        match refusal {
            Some(why) => composer.error = Some(why),
            None => {
                composer.error = None;
                composer.stage = Stage::Review;
            }
        }
    }
    Vec::new()
}

/// Why the reply cannot go to review now.
fn refusal(app: &App) -> Option<String> {
    let composer = app.composer.as_ref()?;
    if composer.text.is_blank() {
        return Some("nothing to send yet".into());
    }
    let platform = &composer.item.platform;
    if let Some(why) = composer.counter().refusal(platform) {
        return Some(why);
    }
    app.reply_window_basis()?.refusal(platform, app.now)
}
