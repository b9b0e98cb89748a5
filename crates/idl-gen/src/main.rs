//! `cargo run -p idl-gen` writes idl/<program>.json for every program; `-- --check` fails when a committed
//! IDL differs from what the code generates (SPEC ). Uses anchor-lang-idl's builder, the library
//! behind `anchor idl build`, so no Anchor CLI is needed.
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const PROGRAMS: [(&str, &str); 2] =
    [("programs/referral", "referral"), ("programs/demo-marketplace", "demo_marketplace")];

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    // anchor-lang-idl 0.1.4 passes a literal "+{toolchain}" to cargo when RUSTUP_TOOLCHAIN is set (which
    // rustup sets under `cargo run`); without it, cargo resolves the toolchain as usual.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut stale = Vec::new();
    for (dir, name) in PROGRAMS {
        let idl = match anchor_lang_idl::build::IdlBuilder::new().program_path(root.join(dir)).resolution(true).build()
        {
            Ok(idl) => idl,
            Err(e) => {
                eprintln!(
                    "error: building the IDL of {dir} failed: {e:#}. Run with ANCHOR_LOG=1 to see cargo's output."
                );
                return ExitCode::FAILURE;
            }
        };
        let json = match serde_json::to_string_pretty(&idl) {
            Ok(j) => j + "\n",
            Err(e) => {
                eprintln!("error: serializing the IDL of {dir}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let path = root.join("idl").join(format!("{name}.json"));
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
                stale.push(path);
            }
        } else if let Err(e) = write(&path, &json) {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        } else {
            println!("wrote {}", path.display());
        }
    }
    if !stale.is_empty() {
        for p in &stale {
            eprintln!("error: {} differs from the code: run `cargo run -p idl-gen` and commit it", p.display());
        }
        return ExitCode::FAILURE;
    }
    if check {
        println!("idl/ matches the code");
    }
    ExitCode::SUCCESS
}

fn write(path: &Path, json: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, json)
}
