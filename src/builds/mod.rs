//! The backend-neutral model of builds: the scenario catalog, build runs and the events that
//! change them.

pub mod catalog;
pub mod clock;
pub mod event;
pub mod log;
pub mod phase;
pub mod run;
pub mod scenario_run;
pub mod status;
