//! The artefact itself: the SBF binary the tests run is a real SBPF v3 ELF with security.txt embedded.
use referral_tests::program_binary;

// the tests run a real SBPF v3 ELF built by scripts/build-sbf.sh (ELF64, e_machine 247, e_flags 3).
#[test]
fn binary_is_sbpf_v3_elf() {
    let so = program_binary("referral");
    assert_eq!(&so[..4], b"\x7fELF");
    assert_eq!(so[4], 2, "ELF64");
    assert_eq!(u16::from_le_bytes([so[18], so[19]]), 247, "e_machine BPF");
    assert_eq!(u32::from_le_bytes([so[48], so[49], so[50], so[51]]), 3, "e_flags SBPF v3");
}

// security_txt! is embedded (the neodyme format, between its BEGIN/END markers).
#[test]
fn security_txt_embedded() {
    let so = program_binary("referral");
    let find = |needle: &[u8]| so.windows(needle.len()).position(|w| w == needle);
    let begin = find(b"=======BEGIN SECURITY.TXT V1=======\0").expect("security.txt begin marker");
    let end = find(b"=======END SECURITY.TXT V1=======\0").expect("security.txt end marker");
    assert!(begin < end);
    let body = String::from_utf8_lossy(&so[begin..end]);
    for field in ["name\0", "project_url\0", "contacts\0", "policy\0"] {
        assert!(body.contains(field), "security.txt lacks {field:?}");
    }
}
