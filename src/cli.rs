//! Command-line arguments → run → exit code.

pub fn main() -> u8 {
    0
}
