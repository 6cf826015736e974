//! Parser tests on XML written from the API reference.
