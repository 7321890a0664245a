//! The backend-neutral model of builds: the scenario catalog the deck declares.

pub mod catalog;
