//! The CLI's sealed files on wasm32, where nothing runs it: the same names, no age (the
//! browser bundles are built without the core's `seal`). See `seal.rs`.

use std::borrow::Cow;
use std::process::ExitCode;

use ruhu::core::io::{ReadError, MAX_INPUT_BYTES};

use super::Usage;

pub const MAX_SEALED_BYTES: usize = MAX_INPUT_BYTES;

pub fn take_identity(args: &[String]) -> Result<Vec<String>, Usage> {
    Ok(args.to_vec())
}

pub fn opened<'a>(bytes: &'a [u8], _file: &str) -> Result<Cow<'a, [u8]>, ReadError> {
    Ok(Cow::Borrowed(bytes))
}

fn native_only() -> Result<ExitCode, Usage> {
    Err(Usage("seal、open、keygen 只在本机命令行中可用".into()))
}

pub fn seal_cmd(_: &[String]) -> Result<ExitCode, Usage> {
    native_only()
}

pub fn open_cmd(_: &[String]) -> Result<ExitCode, Usage> {
    native_only()
}

pub fn keygen_cmd(_: &[String]) -> Result<ExitCode, Usage> {
    native_only()
}
