//! Writes docs/COMPUTE.md from a measurement of every instruction on the SBF binary.
//! Run through `scripts/compute-report.sh`, which builds the binary first. With `--check`, compares
//! instead of writing, and fails when the committed report no longer matches the binary.
use std::process::ExitCode;

// One thread: program-test ticks the bank in a task that must not run while the fixture warps a slot.
#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let rows = referral_tests::compute::measure_all().await;
    let options = referral_tests::compute::measure_options().await;
    let md = referral_tests::compute::render_markdown(&rows) + &referral_tests::compute::render_options(&options);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/COMPUTE.md");
    if check {
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != md {
            eprintln!(
                "docs/COMPUTE.md is out of date with the SBF binary: run scripts/compute-report.sh and commit it.\n\
                 Measured now:\n{md}"
            );
            return ExitCode::FAILURE;
        }
        println!("docs/COMPUTE.md matches the binary ({} instructions measured)", rows.len());
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::write(&path, &md) {
        eprintln!("cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    print!("{md}");
    ExitCode::SUCCESS
}
