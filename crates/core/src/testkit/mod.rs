//! The conformance test kit (being built).
