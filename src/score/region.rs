//! Regional comparison: many scorecards side by side (pure).
