fn main() -> std::process::ExitCode {
    arm64_demo::cli::main()
}
