//! Unit tests: small OpenAPI-free schema pairs through a real `Workspace`.
