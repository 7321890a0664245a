//! `--watch`: file changes in the deck folder, debounced, become reloads.

use std::path::Path;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;

/// Watches `dir`; every relevant change sends `()` (debouncing is the receiver's job).
pub fn watch(dir: &Path) -> notify::Result<(RecommendedWatcher, mpsc::UnboundedReceiver<()>)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res {
            let relevant = matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_))
                && event.paths.iter().any(|p| is_deck_file(p));
            if relevant {
                let _ = tx.send(());
            }
        }
    })?;
    watcher.watch(dir, RecursiveMode::NonRecursive)?;
    Ok((watcher, rx))
}

fn is_deck_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md" || e == "toml")
}
