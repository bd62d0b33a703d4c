fn main() {
    std::process::exit(zhibiao::cli::main());
}
