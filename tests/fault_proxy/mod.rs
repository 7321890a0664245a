//! A loopback HTTP proxy between the AWS SDK and moto's server that fails requests on demand:
//! drops the connection, stalls, answers 500, or answers ThrottlingException. No real component
//! fails on cue, so this one is written here, for that alone; everything it passes through is
//! moto's real answer.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    Pass,
    /// Close the connection without an answer.
    Drop,
    /// Wait this long, then pass the request on.
    Stall(Duration),
    /// `500 Internal Server Error`.
    ServerError,
    /// `400` with the JSON protocol's `ThrottlingException`.
    Throttle,
}

/// A running proxy; requests take the queued faults in order, then pass.
#[derive(Clone)]
pub struct FaultProxy {
    pub url: String,
    queue: Arc<Mutex<VecDeque<Fault>>>,
    /// Requests seen, and requests failed on purpose.
    pub requests: Arc<AtomicUsize>,
    pub failed: Arc<AtomicUsize>,
    /// Every request fails this way while set (e.g. a long stall).
    always: Arc<Mutex<Option<Fault>>>,
}

impl FaultProxy {
    /// Starts a proxy in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").trim_end_matches('/').to_string();
        let proxy = FaultProxy {
            url,
            queue: Arc::default(),
            requests: Arc::default(),
            failed: Arc::default(),
            always: Arc::default(),
        };
        let p = proxy.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else { return };
                let p = p.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let _ = p.serve(socket, &upstream).await;
                });
            }
        });
        proxy
    }

    /// Queues faults for the next requests.
    pub fn then(&self, faults: impl IntoIterator<Item = Fault>) {
        self.queue.lock().unwrap().extend(faults);
    }

    /// Fails every request this way until `None`.
    pub fn always(&self, fault: Option<Fault>) {
        *self.always.lock().unwrap() = fault;
    }

    fn next_fault(&self) -> Fault {
        if let Some(f) = *self.always.lock().unwrap() {
            return f;
        }
        self.queue.lock().unwrap().pop_front().unwrap_or(Fault::Pass)
    }

    /// One request per connection: read it, apply the fault, answer, close.
    async fn serve(&self, mut client: TcpStream, upstream: &str) -> std::io::Result<()> {
        let request = read_message(&mut client).await?;
        if request.is_empty() {
            return Ok(());
        }
        self.requests.fetch_add(1, Ordering::SeqCst);
        let fault = self.next_fault();
        if fault != Fault::Pass && !matches!(fault, Fault::Stall(_)) {
            self.failed.fetch_add(1, Ordering::SeqCst);
        }
        match fault {
            Fault::Drop => return Ok(()),
            Fault::ServerError => {
                client
                    .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await?;
                return Ok(());
            }
            Fault::Throttle => {
                let body = r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#;
                let head = format!(
                    "HTTP/1.1 400 Bad Request\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-errortype: ThrottlingException\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                client.write_all(head.as_bytes()).await?;
                client.write_all(body.as_bytes()).await?;
                return Ok(());
            }
            Fault::Stall(d) => {
                self.failed.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(d).await;
            }
            Fault::Pass => {}
        }
        let mut server = TcpStream::connect(upstream).await?;
        server.write_all(&request).await?;
        let response = read_message(&mut server).await?;
        client.write_all(&response).await?;
        client.shutdown().await
    }
}

/// Reads one HTTP/1.1 message (head and a `content-length` body).
async fn read_message(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(buf)
}
