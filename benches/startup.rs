//! Process-level measurement of the release binary in a pty: time to the first complete frame,
//! key press to new frame, CPU time while idle (10 s), peak RSS. A frame is complete when the
//! synchronized update that wraps it ends (`ESC [ ? 2026 l`).
//!
//! `cargo bench --bench startup` (runs only under `cargo bench`; `cargo test` skips it).

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const FRAME_END: &[u8] = b"\x1b[?2026l";
const RUNS: usize = 15;
/// How long the first run sits idle on the first slide while its CPU time is measured.
const IDLE: Duration = Duration::from_secs(10);

struct Run {
    first_frame: Duration,
    key_to_frame: Vec<Duration>,
    idle_cpu: Duration,
    peak_rss_kb: u64,
    /// Frames per second while the race replays (first run only).
    replay_fps: Option<f64>,
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runs: Vec<Run> = (0..RUNS).map(|i| one_run(i == 0)).collect();
    let mut first: Vec<Duration> = runs.iter().map(|r| r.first_frame).collect();
    let mut keys: Vec<Duration> = runs.iter().flat_map(|r| r.key_to_frame.clone()).collect();
    let mut rss: Vec<u64> = runs.iter().map(|r| r.peak_rss_kb).collect();
    let idle: Vec<Duration> = runs.iter().map(|r| r.idle_cpu).collect();
    println!("startup/first_frame      {}", stats(&mut first));
    println!("startup/key_to_frame     {}  ({} presses)", stats(&mut keys), keys.len());
    rss.sort_unstable();
    println!(
        "startup/peak_rss         min {} KB, median {} KB, max {} KB (median {:.2} MB decimal)",
        rss[0],
        rss[rss.len() / 2],
        rss[rss.len() - 1],
        rss[rss.len() / 2] as f64 * 1024.0 / 1e6
    );
    println!("startup/idle_cpu         {:?} over {} s idle on the first slide (first run)", idle[0], IDLE.as_secs());
    if let Some(fps) = runs[0].replay_fps {
        println!("startup/replay_redraws   {fps:.1} frames/s while the 1A/1B race replays (first run, 3 s)");
    }
}

fn stats(v: &mut [Duration]) -> String {
    v.sort_unstable();
    format!("min {:?}  median {:?}  max {:?}", v[0], v[v.len() / 2], v[v.len() - 1])
}

fn one_run(check_idle: bool) -> Run {
    let pair = native_pty_system().openpty(PtySize { rows: 60, cols: 200, pixel_width: 0, pixel_height: 0 }).unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_arm64-demo"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_RUNTIME_DIR", home.path());
    cmd.env("XDG_STATE_HOME", home.path());
    let (tx, rx) = mpsc::channel::<Instant>();
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let pid = child.process_id().unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        let mut tail: Vec<u8> = Vec::new();
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            tail.extend_from_slice(&buf[..n]);
            while let Some(pos) = tail.windows(FRAME_END.len()).position(|w| w == FRAME_END) {
                let _ = tx.send(Instant::now());
                tail.drain(..pos + FRAME_END.len());
            }
            if tail.len() > FRAME_END.len() {
                tail.drain(..tail.len() - FRAME_END.len());
            }
        }
    });
    let first_frame = rx.recv_timeout(Duration::from_secs(10)).expect("a first frame") - start;

    let mut idle_cpu = Duration::ZERO;
    if check_idle {
        let before = cpu_time(pid);
        std::thread::sleep(IDLE);
        idle_cpu = cpu_time(pid) - before;
    }

    // Walk the deck: each press of → until the last slide, timed to its frame.
    let mut key_to_frame = Vec::new();
    for _ in 0..16 {
        while rx.try_recv().is_ok() {}
        let sent = Instant::now();
        writer.write_all(b"\x1b[C").unwrap();
        writer.flush().unwrap();
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(at) => key_to_frame.push(at - sent),
            Err(_) => break, // the last slide: no change, no frame
        }
    }
    let mut replay_fps = None;
    if check_idle {
        // The race slide: start it and count frames for 3 s.
        writer.write_all(b"7\r").unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        writer.write_all(b"\r").unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(300));
        while rx.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_secs(3));
        let mut frames = 0;
        while rx.try_recv().is_ok() {
            frames += 1;
        }
        replay_fps = Some(f64::from(frames) / 3.0);
    }
    let peak_rss_kb = peak_rss(pid);
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let _ = child.wait();
    Run { first_frame, key_to_frame, idle_cpu, peak_rss_kb, replay_fps }
}

/// utime + stime of a process, from /proc (clock ticks of 10 ms).
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r.split_whitespace().collect()).unwrap_or_default();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// VmHWM: the peak resident set size.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
