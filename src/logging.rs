//! Diagnostics go to a log file, never to the screen the audience sees.

use std::path::PathBuf;
use std::sync::Mutex;

/// The log file: `$XDG_STATE_HOME/arm64-demo/arm64-demo.log` (or the cache dir).
pub fn log_path() -> Option<PathBuf> {
    dirs::state_dir().or_else(dirs::cache_dir).map(|d| d.join("arm64-demo").join("arm64-demo.log"))
}

/// Sends tracing output to the log file; `ARM64_DEMO_LOG` sets the filter (default `info`).
/// Without a writable file, logging is off rather than on screen.
pub fn init() {
    let Some(path) = log_path() else { return };
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(&path) else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ARM64_DEMO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_writer(Mutex::new(file)).with_ansi(false).with_env_filter(filter).try_init();
}
