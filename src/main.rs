fn main() -> std::process::ExitCode {
    vaultjwt::cli::run(std::env::args_os().collect())
}
