//! Resolves where config, data, socket and logs live: one `--home` directory for all of
//! them, or the XDG config and data directories by default.

use std::path::{Path, PathBuf};

/// Every path switchboard uses.
#[derive(Clone, Debug)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
    /// The sled database directory.
    pub store_dir: PathBuf,
    /// Default socket path (the config's `[hub] socket` overrides it).
    pub default_socket: PathBuf,
    pub log_dir: PathBuf,
    /// Records which process owns the store.
    pub owner_file: PathBuf,
}

impl Paths {
    /// Everything under one directory (`--home DIR` / `SWITCHBOARD_HOME`).
    pub fn in_home(home: &Path) -> Paths {
        Paths::from_dirs(home.to_path_buf(), home.to_path_buf())
    }

    /// The XDG defaults (`~/.config/switchboard`, `~/.local/share/switchboard`).
    pub fn xdg() -> Paths {
        match directories::ProjectDirs::from("", "", "switchboard") {
            Some(dirs) => Paths::from_dirs(
                dirs.config_dir().to_path_buf(),
                dirs.data_dir().to_path_buf(),
            ),
            None => Paths::in_home(Path::new(".switchboard")),
        }
    }

    fn from_dirs(config_dir: PathBuf, data_dir: PathBuf) -> Paths {
        Paths {
            config_file: config_dir.join("config.toml"),
            config_dir,
            store_dir: data_dir.join("store"),
            default_socket: data_dir.join("hub.sock"),
            log_dir: data_dir.join("logs"),
            owner_file: data_dir.join("hub.owner"),
            data_dir,
        }
    }
}
