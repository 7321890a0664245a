//! arm64-demo: a terminal presentation about moving software from x86_64 to arm64.
//!
//! deck (parse, validate) → app (state, update) → ui (draw); runtime runs the loop.

pub mod app;
pub mod backend;
pub mod builds;
pub mod cli;
pub mod config;
pub mod deck;
pub mod infra;
pub mod logging;
pub mod notes;
pub mod runtime;
pub mod ui;
