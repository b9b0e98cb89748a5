//! Writes docs/COMPUTE.md from a measurement of every instruction on the SBF binary.
//! Run through `scripts/compute-report.sh`, which builds the binary first.
#[tokio::main]
async fn main() {
    let rows = referral_tests::compute::measure_all().await;
    let toolchain = std::env::var("SBF_TOOLCHAIN").unwrap_or_else(|_| "see scripts/build-sbf.sh".into());
    let md = referral_tests::compute::render_markdown(&rows, &toolchain);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/COMPUTE.md");
    if let Err(e) = std::fs::write(&path, &md) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    print!("{md}");
}
