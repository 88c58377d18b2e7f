//! Differences between two versions of the data (pure).
