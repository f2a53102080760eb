use clap::Parser;
use trajectoire::cli::{Cli, execute};

fn main() {
    let cli = Cli::parse();
    match &cli.command {
        Some(cmd) => {
            let outcome = execute(cmd);
            print!("{}", outcome.stdout);
            eprint!("{}", outcome.stderr);
            std::process::exit(outcome.status);
        }
        None => {
            eprintln!("trajectoire: the window is not built yet; try `trajectoire run`");
            std::process::exit(2);
        }
    }
}
