//! Renderers: each reads the same [`Report`] and only renders.
