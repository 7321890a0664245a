//! Peak memory while 1M log lines stream into a build run with the default 100k-line cap.
//! `cargo bench --bench log_memory` (runs only under `cargo bench`).

use arm64_demo::builds::event::BuildEvent;
use arm64_demo::builds::run::BuildRun;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let before = peak_rss_kb();
    let mut run = BuildRun::default();
    let started = std::time::Instant::now();
    for batch in 0..1000 {
        let lines = (0..1000)
            .map(|i| {
                format!(
                    "#12 {batch}.{i:03} [ 42%] Building C object crypto/fipsmodule/CMakeFiles/fipsmodule.dir/bcm.c.o"
                )
            })
            .collect();
        run.apply(1.0, &BuildEvent::Log { lines }, &[]);
    }
    let secs = started.elapsed().as_secs_f64();
    println!("log_memory/1M_lines: kept {} lines, dropped {}", run.log.len(), run.log.dropped());
    println!("log_memory/ingest: {:.0} lines/s (formatting included)", 1_000_000.0 / secs);
    println!("log_memory/peak_rss: {} KB (before streaming: {before} KB)", peak_rss_kb());
}

fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
