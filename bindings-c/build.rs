//! Build script of the C library: the ELF SONAME of the shared library and the pkg-config file
//! for the build tree.
//!
//! * On Linux the cdylib is linked with `-soname libfiscal_core.so.<ABI>`, `<ABI>` being the
//!   `FC_ABI_VERSION` the header defines (`cbindgen.toml`, `after_includes`: one source). A
//!   program linked against it records that name, so an incompatible library is never picked up.
//!   Beside the library the script leaves the symlink `libfiscal_core.so.<ABI>` →
//!   `libfiscal_core.so`, so a program linked in the build tree runs from it (rpath or
//!   `LD_LIBRARY_PATH`, README.md).
//! * `target/<profile>/fiscal_core.pc` is `fiscal_core.pc.in` filled in for this build tree:
//!   `PKG_CONFIG_PATH=target/release pkg-config --cflags --libs fiscal_core`.

use std::env;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

fn main() -> io::Result<()> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=fiscal_core.pc.in");
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(io::Error::other)?);
    let config = fs::read_to_string(manifest.join("cbindgen.toml"))?;
    let abi = config
        .lines()
        .find_map(|l| l.trim().strip_prefix("#define FC_ABI_VERSION "))
        .map(|v| {
            v.trim_start()
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap_or("")
        })
        .filter(|v| !v.is_empty())
        .ok_or_else(|| io::Error::other("cbindgen.toml: no `#define FC_ABI_VERSION <n>`"))?
        .to_owned();
    let soname = format!("libfiscal_core.so.{abi}");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    }

    // OUT_DIR is target/<triple>/<profile>/build/<pkg>-<hash>/out: the library goes three up.
    let out = PathBuf::from(env::var("OUT_DIR").map_err(io::Error::other)?);
    let Some(libdir) = out.ancestors().nth(3) else {
        return Ok(());
    };
    if os == "linux" {
        link(libdir, &soname)?;
    }
    let template = fs::read_to_string(manifest.join("fiscal_core.pc.in"))?;
    let pc = template
        .replace("@LIBDIR@", &libdir.display().to_string())
        .replace(
            "@INCLUDEDIR@",
            &manifest.join("include").display().to_string(),
        )
        .replace(
            "@VERSION@",
            &env::var("CARGO_PKG_VERSION").map_err(io::Error::other)?,
        );
    let path = libdir.join("fiscal_core.pc");
    if fs::read_to_string(&path).ok().as_deref() != Some(pc.as_str()) {
        fs::write(path, pc)?;
    }
    Ok(())
}

/// `libdir/<soname>` → `libfiscal_core.so` (relative, made once; dangling until the link).
#[cfg(unix)]
fn link(libdir: &Path, soname: &str) -> io::Result<()> {
    let path = libdir.join(soname);
    if fs::symlink_metadata(&path).is_ok() {
        return Ok(());
    }
    std::os::unix::fs::symlink("libfiscal_core.so", path)
}

#[cfg(not(unix))]
fn link(_libdir: &Path, _soname: &str) -> io::Result<()> {
    Ok(())
}
