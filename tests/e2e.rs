//! End to end: the real binary in a pty, keys in, screen text out.

mod pty;

use std::process::Command;

use pty::{ENTER, ESC, RIGHT, Session};

#[test]
fn presents_navigates_and_exits_clean() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(&[], home.path(), 100, 30);
    s.wait_for("From x86_64 to arm64");
    s.wait_for("OFFLINE");
    assert!(s.alternate_screen());
    s.send(RIGHT);
    s.wait_for("Why Graviton?");
    s.send("5");
    s.wait_for("go to 5_");
    s.send(ENTER);
    s.wait_for("Concept 1 · One big build, two ways");
    s.wait_for("5/15");
    s.send("o");
    s.wait_for("overview · ↑↓ choose");
    s.send(ESC);
    s.wait_gone("overview · ↑↓ choose");
    s.send("?");
    s.wait_for("keys · Esc closes");
    s.send(ESC);
    s.wait_gone("keys · Esc closes");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(!s.alternate_screen(), "left the alternate screen");
    assert!(!s.cursor_hidden(), "the cursor is shown again");
}

#[test]
fn sigterm_restores_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(&[], home.path(), 80, 24);
    s.wait_for("From x86_64 to arm64");
    let status = Command::new("kill").args(["-TERM", &s.pid().to_string()]).status().unwrap();
    assert!(status.success());
    assert_eq!(s.wait_exit(), 0);
    assert!(!s.alternate_screen());
    assert!(!s.cursor_hidden());
}

#[test]
fn notes_follow_the_presenter() {
    let home = tempfile::tempdir().unwrap();
    let mut presenter = Session::start(&[], home.path(), 100, 30);
    presenter.wait_for("From x86_64 to arm64");
    let mut notes = Session::start(&["notes"], home.path(), 100, 30);
    notes.wait_for("following the presenter");
    notes.wait_for("1/15  From x86_64 to arm64");
    notes.wait_for("next: Why Graviton?");
    presenter.send(RIGHT);
    notes.wait_for("2/15  Why Graviton?  (part 1/2)");
    presenter.send(RIGHT);
    notes.wait_for("(part 2/2)");
    notes.wait_for("next: ISA basics");
    // The presenter quits and comes back: the viewer waits, then follows again.
    presenter.send("q");
    assert_eq!(presenter.wait_exit(), 0);
    notes.wait_for("waiting for the presenter");
    let mut again = Session::start(&[], home.path(), 100, 30);
    again.wait_for("From x86_64 to arm64");
    notes.wait_for("following the presenter");
    notes.wait_for("1/15  From x86_64 to arm64");
    again.send("q");
    notes.send("q");
    assert_eq!(notes.wait_exit(), 0);
}

#[test]
fn a_bad_deck_exits_non_zero_with_its_location_and_leaves_the_terminal_alone() {
    let home = tempfile::tempdir().unwrap();
    let deck = home.path().join("deck");
    std::fs::create_dir(&deck).unwrap();
    std::fs::write(deck.join("deck.toml"), "title = \"Broken\"\n").unwrap();
    std::fs::write(deck.join("01.md"), "# One\n\n```pane\nkind = \"chart\"\n```\n").unwrap();
    let mut s = Session::start(&["present", deck.to_str().unwrap()], home.path(), 100, 30);
    assert_eq!(s.wait_exit(), 1);
    let screen = s.screen();
    assert!(screen.contains("01.md:4:8: unknown pane kind \"chart\"; expected one of build, race"), "{screen}");
    assert!(!s.alternate_screen());
}

#[test]
fn watch_reloads_keeps_the_slide_and_shows_errors_over_the_last_good_deck() {
    let home = tempfile::tempdir().unwrap();
    let deck = home.path().join("deck");
    std::fs::create_dir(&deck).unwrap();
    std::fs::write(deck.join("deck.toml"), "title = \"Watched\"\n").unwrap();
    std::fs::write(deck.join("01.md"), "# First\n\n---\n\n# Second\n\ntext one\n").unwrap();
    let mut s = Session::start(&["present", deck.to_str().unwrap(), "--watch"], home.path(), 100, 30);
    s.wait_for("First");
    s.send(RIGHT);
    s.wait_for("2/2");
    std::fs::write(deck.join("01.md"), "# First\n\n---\n\n# Second\n\ntext two\n").unwrap();
    s.wait_for("text two");
    s.wait_for("2/2");
    std::fs::write(deck.join("01.md"), "# First\n\n---\n\n# Second\n\n```pane\nkind = \"chart\"\n```\n").unwrap();
    s.wait_for("deck not reloaded");
    s.wait_for("01.md:8:8: unknown pane kind");
    assert!(s.screen().contains("text two"), "the last good deck stays on screen");
    std::fs::write(deck.join("00.md"), "# Zero\n").unwrap();
    std::fs::write(deck.join("01.md"), "# First\n\n---\n\n# Second\n\ntext three\n").unwrap();
    s.wait_for("text three");
    s.wait_gone("deck not reloaded");
    s.wait_for("3/3");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn frames_are_synchronized_and_drawn_only_on_change() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(&[], home.path(), 100, 30);
    s.wait_for("From x86_64 to arm64");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let before = s.frames();
    assert!(before >= 1, "the first frame is wrapped in a synchronized update");
    // Keys bound to nothing, and `←` on the first slide, change nothing: no frame.
    s.send("zZ");
    s.send("\x1b[D");
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(s.frames(), before);
    s.send(RIGHT);
    s.wait_for("Why Graviton?");
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(s.frames(), before + 1, "one key press, one frame");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn the_race_replays_to_its_final_times_and_the_metrics_fill_in() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["--replay-speed", "2000"], home.path(), 160, 45);
    s.wait_for("From x86_64 to arm64");
    s.send("7");
    s.send(ENTER);
    s.wait_for("1B · Emulated builds: the race");
    s.wait_for("Enter: start");
    s.send(ENTER);
    s.wait_for("REPLAY · reconstructed from the seed's published figures");
    // 51m46s at 2000× is about 1.6 s of real time.
    s.wait_for("51m46s ×7.3");
    s.wait_for("8m33s ×1.2");
    s.send("13");
    s.send(ENTER);
    s.wait_for("3B · Measure performance, too");
    s.send(ENTER);
    s.wait_for("58.14154 s");
    s.wait_for("40.88533 s");
    s.wait_for("-29.7%");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn start_all_runs_every_scenario_in_the_background() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start(&["--start-all", "--replay-speed", "3000"], home.path(), 160, 45);
    s.wait_for("From x86_64 to arm64");
    // Later slides show where their scenario got to without pressing Enter.
    s.send("11");
    s.send(ENTER);
    s.wait_for("✗ arm64, -tags amd64");
    s.wait_for("✓ arm64, -tags purego");
    // Tab focuses the log; z zooms it to the full screen, Esc brings the slide back.
    s.send("\t");
    s.wait_for("/ search");
    s.send("z");
    s.wait_gone("The same tests on both arches");
    s.send(ESC);
    s.wait_for("The same tests on both arches");
    s.send("6");
    s.send(ENTER);
    s.wait_for("1A · Native builds on each arch");
    s.wait_for("✓ succeeded");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
