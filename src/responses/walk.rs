//! Finding the response files under a library directory: `*.md` and `*.txt`, in
//! subdirectories too (a team may group its files), hidden files and directories skipped
//! (`.git`, editor swap files) and so are READMEs, in path order so every reader lists them the same way.
//! What cannot be read becomes a located problem; the walk goes on.

use std::path::{Path, PathBuf};

use super::library::{Problem, MAX_DEPTH, MAX_FILES, MAX_FILE_BYTES};

/// A response file found.
pub struct Found {
    pub path: PathBuf,
    /// Relative to the library directory, `/`-separated.
    pub relative: String,
}

/// Appends the response files under `dir` to `files`, and what could not be read to
/// `problems`.
pub fn collect(dir: &Path, files: &mut Vec<Found>, problems: &mut Vec<Problem>) {
    walk(dir, "", 0, files, problems);
}

fn walk(dir: &Path, prefix: &str, depth: usize, files: &mut Vec<Found>, out: &mut Vec<Problem>) {
    let shown = if prefix.is_empty() { "." } else { prefix };
    if depth > MAX_DEPTH {
        out.push(Problem::error(
            shown,
            0,
            format!("directories nested more than {MAX_DEPTH} deep are not read"),
        ));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(Problem::error(
                shown,
                0,
                format!("cannot read directory: {e}"),
            ));
            return;
        }
    };
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    names.sort();
    for (name, path) in names {
        let relative = format!("{prefix}{name}");
        // Follows links: a team may link a shared folder in.
        let Ok(meta) = std::fs::metadata(&path) else {
            out.push(Problem::error(&relative, 0, "cannot read (a broken link?)"));
            continue;
        };
        if meta.is_dir() {
            walk(&path, &format!("{relative}/"), depth + 1, files, out);
        } else if is_response_file(&name) {
            if files.len() == MAX_FILES {
                out.push(Problem::error(
                    &relative,
                    0,
                    format!("not read: a library holds at most {MAX_FILES} files"),
                ));
                return;
            }
            if meta.len() > MAX_FILE_BYTES {
                let message = format!("not read: larger than {MAX_FILE_BYTES} bytes");
                out.push(Problem::error(&relative, 0, message));
                continue;
            }
            files.push(Found { path, relative });
        }
    }
}

/// `*.md` and `*.txt`, but not a README (a library kept in git often has one).
fn is_response_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let readme = lower.starts_with("readme.");
    !readme && (lower.ends_with(".md") || lower.ends_with(".txt"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_md_and_txt_in_subdirectories_and_skips_hidden_files_and_readmes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("refunds")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for name in [
            "b.en.md",
            "a.fr.txt",
            "refunds/late.en.md",
            ".hidden.md",
            ".git/x.md",
            "notes.json",
            "README.md",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        collect(root, &mut files, &mut problems);
        let found: Vec<&str> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(found, ["a.fr.txt", "b.en.md", "refunds/late.en.md"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_file_too_large_is_a_problem_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = "x".repeat(MAX_FILE_BYTES as usize + 1);
        std::fs::write(dir.path().join("big.en.md"), big).unwrap();
        std::fs::write(dir.path().join("ok.en.md"), "x").unwrap();
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        collect(dir.path(), &mut files, &mut problems);
        assert_eq!(files.len(), 1);
        assert_eq!(problems[0].path, "big.en.md");
        assert!(problems[0].message.contains("larger than"), "{problems:?}");
    }
}
