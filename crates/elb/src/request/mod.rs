//! Pure builders of the Query parameters of every classic ELB action.
