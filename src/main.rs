use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(contractdiff::cli::main())
}
