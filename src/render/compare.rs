//! Regional comparison output in every format.
