//! Running the program: the terminal, the event loop, signals, file watching.

pub mod headless;
pub mod present;
pub mod signals;
pub mod terminal;
pub mod watch;

/// The wall clock as the footer shows it.
pub fn wall_clock() -> String {
    chrono::Local::now().format("%H:%M").to_string()
}

/// Time until the wall clock's minute changes.
pub fn until_next_minute() -> std::time::Duration {
    use chrono::Timelike;
    let now = chrono::Local::now();
    let into = u64::from(now.second()) * 1000 + u64::from(now.nanosecond() / 1_000_000).min(999);
    std::time::Duration::from_millis(60_000u64.saturating_sub(into).max(1))
}
