//! Generators of realistic answers.
