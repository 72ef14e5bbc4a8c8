//! The `impayes` binary: everything is in the library; see `cli::main`.

fn main() -> std::process::ExitCode {
    impayes::cli::main()
}
