//! Speaker notes in a second terminal: the presenter publishes its position over a local Unix
//! socket (owner-only), and `arm64-demo notes` follows it.

pub mod client;
pub mod protocol;
pub mod server;

use std::path::PathBuf;

/// The socket of the deck with this identity, in the user's runtime dir.
pub fn socket_path(deck_identity: &str) -> PathBuf {
    runtime_dir().join(format!("{deck_identity}.sock"))
}

/// `$XDG_RUNTIME_DIR/arm64-demo`, or a per-user folder in the temp dir.
pub fn runtime_dir() -> PathBuf {
    match dirs::runtime_dir() {
        Some(dir) => dir.join("arm64-demo"),
        None => std::env::temp_dir().join(format!("arm64-demo-{}", user_id())),
    }
}

/// The process's user id, read from the owner of its /proc entry (no libc call needed).
fn user_id() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map(|m| m.uid()).unwrap_or(0)
}
