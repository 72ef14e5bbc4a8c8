//! Demo database generator (being written: see the helper's task).
