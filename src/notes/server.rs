//! The presenter's side: a Unix socket that sends the notes state to every viewer on each change.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;

use super::protocol::NotesState;

/// A running notes server; the socket file is removed when it is dropped.
pub struct NotesServer {
    path: PathBuf,
    tx: watch::Sender<NotesState>,
}

impl NotesServer {
    /// Binds the socket and serves viewers in the background. Fails when another presenter of
    /// the same deck is live on it.
    pub fn start(path: &Path, initial: NotesState) -> std::io::Result<NotesServer> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        if path.exists() {
            if std::os::unix::net::UnixStream::connect(path).is_ok() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AddrInUse,
                    format!("another presenter of this deck serves notes on {}", path.display()),
                ));
            }
            // Left over from a presenter that did not exit cleanly.
            std::fs::remove_file(path)?;
        }
        let listener = UnixListener::bind(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        let (tx, rx) = watch::channel(initial);
        tokio::spawn(accept_loop(listener, rx));
        Ok(NotesServer { path: path.to_path_buf(), tx })
    }

    /// Publishes the state if it changed.
    pub fn publish(&self, state: NotesState) {
        self.tx.send_if_modified(|current| {
            if *current == state {
                false
            } else {
                *current = state;
                true
            }
        });
    }
}

impl Drop for NotesServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

async fn accept_loop(listener: UnixListener, rx: watch::Receiver<NotesState>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve(stream, rx.clone()));
            }
            Err(e) => {
                tracing::warn!("notes socket accept failed: {e}");
                return;
            }
        }
    }
}

async fn serve(mut stream: UnixStream, mut rx: watch::Receiver<NotesState>) {
    loop {
        let line = rx.borrow_and_update().to_line();
        if stream.write_all(line.as_bytes()).await.is_err() || rx.changed().await.is_err() {
            return;
        }
    }
}
