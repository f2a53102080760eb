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
            if let Err(e) = trajectoire::app::run(cli.file) {
                eprintln!("trajectoire: cannot open the window: {e}");
                std::process::exit(1);
            }
        }
    }
}
