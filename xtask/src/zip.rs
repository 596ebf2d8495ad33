//! A minimal ZIP writer (stored entries, no compression): enough for registry-shaped provider
//! archives, which hold one executable. Terraform unpacks stored entries as well as deflated
//! ones (`terraform init` from a mirror of this archive is checked by `tests/e2e/release.rs`).
//!
//! Kept by hand rather than taking the `zip` crate, by what keeps dependencies lean: `zip` is
//! not in Cargo.lock, its current release needs Rust 1.89 (this workspace promises 1.88), and
//! even without features it brings five crates more (`zip`, `crc32fast`, `constant_time_eq`,
//! `typed-path`, `zeroize_derive`; deflate adds `flate2`, `zlib-rs`, `zopfli` and theirs)
//! into every `cargo test`, since the provider's tests build this crate. What it would replace
//! is the ~60 lines below plus a 12-line CRC-32. Limits: entries under 4 GiB and fewer than
//! 65,536 of them (no ZIP64), which a provider archive is far from.

/// One file to put in the archive.
pub struct Entry<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    /// Unix permission bits, e.g. 0o755 for the provider binary.
    pub mode: u32,
}

/// The bytes of a ZIP archive holding `entries` (stored, with a fixed DOS timestamp so the
/// archive, and so its checksum, depend only on the contents).
pub fn write(entries: &[Entry<'_>]) -> Vec<u8> {
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = (2024 - 1980) << 9 | 1 << 5 | 1;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let crc = crc32(e.data);
        let size = e.data.len() as u32;
        let name = e.name.as_bytes();
        // Local file header.
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes()); // version needed
        out.extend_from_slice(&0u16.to_le_bytes()); // flags
        out.extend_from_slice(&0u16.to_le_bytes()); // method: stored
        out.extend_from_slice(&DOS_TIME.to_le_bytes());
        out.extend_from_slice(&DOS_DATE.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(e.data);
        // Central directory entry (made by Unix, so the permission bits survive unzip).
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&(3u16 << 8 | 20).to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes());
        central.extend_from_slice(&DOS_TIME.to_le_bytes());
        central.extend_from_slice(&DOS_DATE.to_le_bytes());
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&0u16.to_le_bytes()); // extra
        central.extend_from_slice(&0u16.to_le_bytes()); // comment
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&((0o100000 | e.mode) << 16).to_le_bytes());
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// CRC-32 (IEEE), as ZIP uses it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn archive_has_headers_and_the_data() {
        let zip = write(&[Entry {
            name: "a.txt",
            data: b"hello",
            mode: 0o644,
        }]);
        assert_eq!(&zip[..4], b"PK\x03\x04");
        assert!(zip.windows(5).any(|w| w == b"hello"));
        assert_eq!(&zip[zip.len() - 22..zip.len() - 18], b"PK\x05\x06");
    }
}
