//! SIGTERM, SIGHUP, SIGINT and SIGQUIT end the program the same way `q` does, so the terminal
//! is restored.

use tokio::signal::unix::{SignalKind, signal};

/// Resolves when one of those signals arrives (never, if the handlers cannot be installed).
pub async fn terminated() {
    let kinds = [SignalKind::terminate(), SignalKind::hangup(), SignalKind::interrupt(), SignalKind::quit()];
    let mut streams: Vec<_> = kinds.into_iter().filter_map(|k| signal(k).ok()).collect();
    if streams.is_empty() {
        return std::future::pending().await;
    }
    let waits = streams.iter_mut().map(|s| Box::pin(s.recv()));
    futures::future::select_all(waits).await;
}
