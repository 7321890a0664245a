//! SIGTERM and SIGHUP end the program the same way `q` does, so the terminal is restored.

use tokio::signal::unix::{SignalKind, signal};

/// Resolves when SIGTERM or SIGHUP arrives (never, if the handlers cannot be installed).
pub async fn terminated() {
    let (Ok(mut term), Ok(mut hup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hup.recv() => {}
    }
}
