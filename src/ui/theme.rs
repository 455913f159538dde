//! Colours and text styles, built once from the colour mode: 256 colours, the 16 basic
//! ANSI colours (old terminals, some SSH setups), or none at all when `NO_COLOR` is set
//! (then only bold, dim, underline and reverse video mark things).

use ratatui::style::{Color, Modifier, Style};

use crate::model::{Platform, Priority};

/// How much colour the terminal gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    /// The 256-colour palette.
    Full,
    /// The 16 basic ANSI colours.
    Basic,
    /// No colour (`NO_COLOR`): modifiers only.
    None,
}

impl ColorMode {
    /// From the environment: `NO_COLOR` (any non-empty value) wins, then the config's
    /// `basic_colors`, then what `COLORTERM`/`TERM` announce.
    pub fn detect(basic_colors: bool) -> ColorMode {
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        ColorMode::from_env(
            basic_colors,
            &var("NO_COLOR"),
            &var("COLORTERM"),
            &var("TERM"),
        )
    }

    /// The decision of [`ColorMode::detect`] from explicit values.
    pub fn from_env(basic_colors: bool, no_color: &str, colorterm: &str, term: &str) -> ColorMode {
        if !no_color.is_empty() {
            ColorMode::None
        } else if basic_colors {
            ColorMode::Basic
        } else if matches!(colorterm, "truecolor" | "24bit") || term.contains("256") {
            ColorMode::Full
        } else {
            ColorMode::Basic
        }
    }
}

/// Every style the UI draws with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub mode: ColorMode,
}

impl Theme {
    pub fn new(mode: ColorMode) -> Theme {
        Theme { mode }
    }

    /// A foreground colour: `full` in 256-colour mode, `basic` in 16-colour mode.
    fn fg(&self, full: u8, basic: Color) -> Style {
        match self.mode {
            ColorMode::Full => Style::new().fg(Color::Indexed(full)),
            ColorMode::Basic => Style::new().fg(basic),
            ColorMode::None => Style::new(),
        }
    }

    fn bg(&self, full: u8, basic: Color) -> Style {
        match self.mode {
            ColorMode::Full => Style::new().bg(Color::Indexed(full)),
            ColorMode::Basic => Style::new().bg(basic),
            ColorMode::None => Style::new(),
        }
    }

    pub fn plain(&self) -> Style {
        Style::new()
    }

    pub fn dim(&self) -> Style {
        self.fg(244, Color::DarkGray)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn title(&self) -> Style {
        self.fg(75, Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.fg(240, Color::DarkGray)
    }

    pub fn tab(&self) -> Style {
        self.fg(250, Color::Gray)
    }

    pub fn tab_active(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn bar(&self) -> Style {
        match self.mode {
            ColorMode::None => Style::new(),
            _ => self.bg(236, Color::Black).patch(self.fg(252, Color::Gray)),
        }
    }

    /// The row under the cursor.
    pub fn cursor_row(&self) -> Style {
        match self.mode {
            ColorMode::None => Style::new().add_modifier(Modifier::REVERSED),
            _ => self.bg(238, Color::Blue).add_modifier(Modifier::BOLD),
        }
    }

    pub fn selected_mark(&self) -> Style {
        self.fg(214, Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn unread(&self) -> Style {
        self.fg(39, Color::LightBlue).add_modifier(Modifier::BOLD)
    }

    pub fn priority(&self, priority: Priority) -> Style {
        match priority {
            Priority::Urgent => self.fg(196, Color::LightRed).add_modifier(Modifier::BOLD),
            Priority::High => self.fg(208, Color::Yellow),
            Priority::Normal => self.plain(),
            Priority::Low => self.dim(),
        }
    }

    pub fn sla_due(&self) -> Style {
        self.fg(220, Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn sla_over(&self) -> Style {
        self.fg(196, Color::LightRed)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn badge(&self, platform: &Platform) -> Style {
        let style = match platform {
            Platform::Mastodon => self.fg(99, Color::Magenta),
            Platform::Bluesky => self.fg(33, Color::LightBlue),
            Platform::X => self.fg(255, Color::White),
            Platform::Facebook => self.fg(27, Color::Blue),
            Platform::Instagram => self.fg(205, Color::LightMagenta),
            Platform::Youtube => self.fg(196, Color::Red),
            Platform::Other(_) => self.dim(),
        };
        style.add_modifier(Modifier::BOLD)
    }

    pub fn author(&self) -> Style {
        self.fg(180, Color::Green)
    }

    pub fn tag(&self) -> Style {
        self.fg(141, Color::Magenta)
    }

    pub fn assignee(&self) -> Style {
        self.fg(109, Color::Cyan)
    }

    /// Matched characters in find results and the palette.
    pub fn highlight(&self) -> Style {
        self.fg(214, Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn key(&self) -> Style {
        self.fg(117, Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Close to a limit (a reply's length, a messaging window): amber.
    pub fn warning(&self) -> Style {
        self.fg(214, Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(203, Color::LightRed).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(114, Color::Green)
    }

    /// Our own earlier replies in a thread.
    pub fn ours(&self) -> Style {
        self.fg(114, Color::Green).add_modifier(Modifier::ITALIC)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_wins_then_basic_then_terminal() {
        assert_eq!(
            ColorMode::from_env(false, "1", "truecolor", "xterm-256color"),
            ColorMode::None
        );
        assert_eq!(
            ColorMode::from_env(true, "", "truecolor", ""),
            ColorMode::Basic
        );
        assert_eq!(
            ColorMode::from_env(false, "", "", "xterm-256color"),
            ColorMode::Full
        );
        assert_eq!(
            ColorMode::from_env(false, "", "truecolor", "xterm"),
            ColorMode::Full
        );
        assert_eq!(
            ColorMode::from_env(false, "", "", "linux"),
            ColorMode::Basic
        );
    }

    #[test]
    fn no_color_theme_has_no_colours_but_keeps_the_cursor_visible() {
        let theme = Theme::new(ColorMode::None);
        for style in [
            theme.badge(&Platform::X),
            theme.sla_over(),
            theme.cursor_row(),
            theme.bar(),
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(theme.cursor_row().add_modifier.contains(Modifier::REVERSED));
        let basic = Theme::new(ColorMode::Basic);
        assert!(!matches!(basic.unread().fg, Some(Color::Indexed(_))));
    }
}
