//! Owning the terminal: raw mode, the alternate screen, bracketed paste and (optionally)
//! mouse capture while the TUI runs, and putting everything back however it ends: on
//! drop (quit, errors, SIGTERM/SIGHUP handled by the loop) and from a panic hook. Lent to
//! the external editor and taken back ([`suspend`], [`resume`]).

use std::io::{self, stdout, Stdout};

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::layout::Rect;
use ratatui::Terminal;

/// The terminal in TUI mode; restored when dropped.
pub struct TerminalGuard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    mouse: bool,
}

impl TerminalGuard {
    /// Switches the terminal to TUI mode and installs the panic hook that restores it.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        install_panic_hook(mouse);
        let entered = (|| {
            tui_modes(mouse)?;
            let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
            terminal.hide_cursor()?;
            terminal.clear()?;
            Ok(terminal)
        })();
        match entered {
            Ok(terminal) => Ok(TerminalGuard { terminal, mouse }),
            Err(e) => {
                restore(mouse);
                Err(e)
            }
        }
    }
}

/// Raw mode, the alternate screen, bracketed paste, and the mouse when asked.
fn tui_modes(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// Lends the terminal to another program (the external editor): put back as it was before
/// the TUI, cursor shown. The caller stops reading terminal events first.
pub fn suspend(mouse: bool) {
    restore(mouse);
}

/// Takes the terminal back after [`suspend`], set up as [`TerminalGuard::enter`] does, and
/// cleared so that the next frame is drawn whole (nothing the other program left shows,
/// and a size changed meanwhile is taken).
///
/// Cleared with `resize`, not `Terminal::clear`: that one asks the terminal where its cursor
/// is through crossterm's event reader, which the event stream dropped for the other
/// program leaves woken, so the answer is never read.
pub fn resume<B: Backend>(terminal: &mut Terminal<B>, mouse: bool) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    tui_modes(mouse)?;
    terminal.hide_cursor()?;
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore(self.mouse);
    }
}

/// Puts the terminal back as it was (every step tried, errors ignored: this runs on the
/// way out, possibly from a panic).
pub fn restore(mouse: bool) {
    let _ = disable_raw_mode();
    let mut out = stdout();
    if mouse {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show);
}

fn install_panic_hook(mouse: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore(mouse);
        previous(info);
    }));
}
