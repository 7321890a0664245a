//! Where build events come from. `replay` plays recordings on a virtual clock; a live AWS
//! backend sends the same events.

pub mod aws;
pub mod replay;
