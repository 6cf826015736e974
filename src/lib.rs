//! lbcloud facade
