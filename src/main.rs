fn main() {
    // Let `zhibiao … | head` end quietly, as command-line tools do, instead of
    // panicking on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(zhibiao::cli::main());
}
