//! Drives the real binary in a pseudo-terminal and reads its screen through a VT100 emulator.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

pub const RIGHT: &str = "\x1b[C";
pub const ENTER: &str = "\r";
pub const ESC: &str = "\x1b";
/// The end of a synchronized update.
pub const FRAME_END: &[u8] = b"\x1b[?2026l";

/// A running program in a pty.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    frames: Arc<Mutex<usize>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// Starts the binary with `args`, its XDG folders inside `home`, at `cols`×`rows`.
    pub fn start(args: &[&str], home: &Path, cols: u16, rows: u16) -> Session {
        Session::start_with_env(args, &[], home, cols, rows)
    }

    /// Like `start`, with extra environment variables.
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)], home: &Path, cols: u16, rows: u16) -> Session {
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_arm64-demo"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("COLORTERM");
        // AWS is whatever the test says: never the developer's own credentials or profile.
        for v in [
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_PROFILE",
            "AWS_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
        ] {
            cmd.env_remove(v);
        }
        cmd.env("AWS_CONFIG_FILE", home.join("aws-config"));
        cmd.env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"));
        cmd.env("AWS_EC2_METADATA_DISABLED", "true");
        cmd.env("HOME", home);
        for (k, v) in env {
            cmd.env(k, v);
        }
        for (k, sub) in [
            ("XDG_RUNTIME_DIR", "run"),
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_DATA_HOME", "data"),
        ] {
            let dir = home.join(sub);
            std::fs::create_dir_all(&dir).expect("create the test's folders");
            cmd.env(k, dir);
        }
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("spawn the binary");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().expect("rows > 0"),
            cols.try_into().expect("cols > 0"),
            0,
        )));
        let sink = parser.clone();
        let frames = Arc::new(Mutex::new(0));
        let frame_count = frames.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let mut tail: Vec<u8> = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                // Count completed synchronized updates: one per drawn frame.
                tail.extend_from_slice(&buf[..n]);
                let ends = tail.windows(FRAME_END.len()).filter(|w| *w == FRAME_END).count();
                *frame_count.lock().unwrap() += ends;
                let keep = tail.len().min(FRAME_END.len() - 1);
                tail.drain(..tail.len() - keep);
            }
        });
        Session { child, writer, parser, frames, _master: pair.master }
    }

    /// Frames drawn so far (each is wrapped in a synchronized update).
    pub fn frames(&self) -> usize {
        *self.frames.lock().unwrap()
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `needle`; panics with the screen after 10 s.
    pub fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.screen().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("screen never showed {needle:?}; it shows:\n{}", self.screen());
    }

    /// Waits until the screen no longer shows `needle`.
    pub fn wait_gone(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !self.screen().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("screen still shows {needle:?}:\n{}", self.screen());
    }

    /// Waits for the program to exit; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("poll the child") {
                // Let the reader take in the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("the program did not exit; screen:\n{}", self.screen());
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    /// Whether the emulated terminal is still on the alternate screen.
    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
