//! The runtime's side of `edit_external`: the reply is written to a private temporary file
//! (mode 0600, `.md`), the terminal is lent to `$VISUAL`, else `$EDITOR`, else `vi` (run as
//! `sh -c '<editor> "$1"' sh <file>`, so `EDITOR="code --wait"` works), and taken back once
//! it exits: set up again and cleared, so the next frame is drawn whole. The file's text
//! comes back as [`Msg::Edited`] (the newline editors add at the end trimmed); an editor
//! that cannot start or exits non-zero comes back as [`Msg::EditFailed`], naming it and
//! its exit status, and the reply keeps its text.
//!
//! The caller stops reading terminal events first (the editor must get every key). Hub
//! calls and events go on meanwhile and queue for `update`. Ctrl-C in an editor that leaves
//! the terminal in cooked mode interrupts the editor, not switchboard.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

use ratatui::backend::Backend;
use ratatui::Terminal;
use tokio::signal::unix::{signal, SignalKind};

use super::msg::Msg;
use super::terminal;

/// Lends the terminal to the editor on `text`; the answer for `update`. An error means the
/// terminal could not be taken back.
pub async fn edit<B: Backend>(
    terminal: &mut Terminal<B>,
    mouse: bool,
    text: &str,
) -> anyhow::Result<Msg>
where
    B::Error: Send + Sync + 'static,
{
    terminal::suspend(mouse);
    let edited = run(&editor(), text).await;
    terminal::resume(terminal, mouse)?;
    Ok(match edited {
        Ok(text) => Msg::Edited { text },
        Err(why) => Msg::EditFailed(why),
    })
}

/// The editor to run: `$VISUAL`, else `$EDITOR`, else `vi` (empty values do not count).
pub fn editor() -> String {
    choose(std::env::var("VISUAL").ok(), std::env::var("EDITOR").ok())
}

fn choose(visual: Option<String>, editor: Option<String>) -> String {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(|e| e.trim().to_string())
        .find(|e| !e.is_empty())
        .unwrap_or_else(|| "vi".into())
}

/// Runs `editor` on a private file holding `text`; its text once it exits successfully.
pub async fn run(editor: &str, text: &str) -> Result<String, String> {
    let file = private_file(text).map_err(|e| format!("cannot write the reply to a file: {e}"))?;
    // While the editor has the terminal, Ctrl-C is for it.
    let _interrupts = signal(SignalKind::interrupt());
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .await
        .map_err(|e| format!("cannot run the editor `{editor}`: {e}"))?;
    if !status.success() {
        return Err(format!(
            "the editor `{editor}` {}: the reply is unchanged",
            exit(status)
        ));
    }
    let bytes = std::fs::read(file.path())
        .map_err(|e| format!("cannot read what `{editor}` saved: {e}"))?;
    let edited = String::from_utf8(bytes)
        .map_err(|_| format!("`{editor}` saved text that is not UTF-8: the reply is unchanged"))?;
    Ok(edited.trim_end_matches(['\n', '\r']).to_string())
}

/// A temporary `.md` file only its owner may read, holding `text`; removed when dropped.
fn private_file(text: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new()
        .prefix("switchboard-reply-")
        .suffix(".md")
        .permissions(std::fs::Permissions::from_mode(0o600))
        .tempfile()?;
    file.write_all(text.as_bytes())?;
    file.flush()?;
    Ok(file)
}

/// "exited with status 1", "was killed by signal 9".
fn exit(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(127), _) => "exited with status 127 (not found?)".into(),
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => format!("failed ({status})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_then_editor_then_vi() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(choose(some("code --wait"), some("vim")), "code --wait");
        assert_eq!(choose(some(" "), some("nano")), "nano");
        assert_eq!(choose(None, None), "vi");
    }

    #[tokio::test]
    async fn the_editor_gets_a_private_file_and_its_text_comes_back_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let seen = dir.path().join("seen");
        // An editor with an argument of its own, as EDITOR="code --wait" has.
        let editor = format!(
            "f() {{ stat -c %a \"$2\" > {seen}; cat \"$2\" >> {seen}; printf 'Written\\n\\n' > \"$2\"; }}; f --wait",
            seen = seen.display()
        );
        assert_eq!(run(&editor, "draft text").await.unwrap(), "Written");
        assert_eq!(std::fs::read_to_string(&seen).unwrap(), "600\ndraft text");
    }

    #[tokio::test]
    async fn a_failing_editor_says_which_and_how() {
        let why = run("exit 3; true", "x").await.unwrap_err();
        assert_eq!(
            why,
            "the editor `exit 3; true` exited with status 3: the reply is unchanged"
        );
        let missing = run("no-such-editor-here", "x").await.unwrap_err();
        assert!(missing.contains("status 127"), "{missing}");
    }
}
