//! The gap report model: built from a profile, its rubric and its scorecard (pure).
