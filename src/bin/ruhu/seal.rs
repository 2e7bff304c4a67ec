//! Sealed files in the CLI (issue 14), on the core's `seal` module:
//!
//! - `--identity FILE` (any command, before a `--`): the township's identity file
//!   (`AGE-SECRET-KEY-1…`, as `ruhu keygen` or `age-keygen` writes it, or passphrase-locked
//!   with the passphrase in the environment variable `RUHU_PASSPHRASE`). With it every
//!   command that reads record files (`evaluate`, `validate`, `merge`, `reconcile`, and the
//!   roster of `roster`/`reconcile`) opens sealed inputs transparently; without it a sealed
//!   input is refused: `FILE: 此文件已加密，需要乡镇私钥 --identity`.
//! - `ruhu seal --to age1… FILE`: FILE sealed to the recipient, armoured text on stdout
//!   (`ruhu seal --to age1… export.json > export.txt`).
//! - `ruhu open --identity KEY FILE`: the plain content of a sealed file on stdout.
//! - `ruhu keygen --out FILE [--lock]`: a new key pair; the identity file is written to FILE
//!   (never over an existing file; `--lock`: under the passphrase in `RUHU_PASSPHRASE`), the
//!   recipient `age1…` printed on stdout.
//!
//! A changed or cut sealed file is refused by name (exit 2), as an unreadable file is.

use std::borrow::Cow;
use std::process::ExitCode;
use std::sync::OnceLock;

use ruhu::core::io::ReadError;
pub use ruhu::core::seal::MAX_SEALED_BYTES;
use ruhu::core::seal::{self, Identity, SealError};

use super::{display_name, print_out, Usage};

/// The identity of this run (`--identity`), set once before the command runs.
static IDENTITY: OnceLock<Identity> = OnceLock::new();

/// The environment variable holding the passphrase of a locked identity file.
const PASSPHRASE_ENV: &str = "RUHU_PASSPHRASE";

/// Takes `--identity FILE` (or `--identity=FILE`) out of the arguments (before a `--`) and
/// reads the identity; the other arguments are returned in order.
pub fn take_identity(args: &[String]) -> Result<Vec<String>, Usage> {
    let mut rest = Vec::with_capacity(args.len());
    let mut path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            rest.push(a.clone());
            rest.extend(it.by_ref().cloned());
            break;
        }
        if a == "--identity" {
            let v = it.next().ok_or_else(|| Usage("--identity 后面缺少私钥文件".into()))?;
            path = Some(v.clone());
        } else if let Some(v) = a.strip_prefix("--identity=") {
            path = Some(v.to_string());
        } else {
            rest.push(a.clone());
        }
    }
    if let Some(path) = path {
        let id = read_identity(&path).map_err(Usage)?;
        let _ = IDENTITY.set(id);
    }
    Ok(rest)
}

fn read_identity(path: &str) -> Result<Identity, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("私钥文件 {path}: 无法读取（{e}）"))?;
    let passphrase = std::env::var(PASSPHRASE_ENV).ok();
    if ruhu::core::io::is_sealed(&bytes) && passphrase.is_none() {
        return Err(format!(
            "私钥文件 {path}: 已用口令加密，请把口令放在环境变量 {PASSPHRASE_ENV} 中"
        ));
    }
    seal::read_identity_file(&bytes, passphrase.as_deref())
        .map_err(|e| format!("私钥文件 {path}: {e}"))
}

/// The bytes of an input as the readers take them: opened when sealed (with `--identity`),
/// as they are when not. The error names no file (the caller does).
pub fn opened<'a>(bytes: &'a [u8], file: &str) -> Result<Cow<'a, [u8]>, ReadError> {
    seal::open_if_sealed(bytes, IDENTITY.get(), display_name(file)).map_err(|e| ReadError {
        path: String::new(),
        message: match e {
            SealError::NeedsIdentity { .. } => "此文件已加密，需要乡镇私钥 --identity".into(),
            e => e.reason(),
        },
    })
}

/// `ruhu seal --to age1… FILE`.
pub fn seal_cmd(args: &[String]) -> Result<ExitCode, Usage> {
    let mut to = None;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.split_once('=') {
            Some(("--to", v)) => to = Some(v.to_string()),
            _ if a == "--to" => {
                to = Some(it.next().cloned().ok_or_else(|| Usage("--to 后面缺少乡镇公钥".into()))?)
            }
            _ if a.starts_with("--") => return Err(Usage(format!("seal 不认识选项 \"{a}\""))),
            _ => files.push(a.clone()),
        }
    }
    let to = to.ok_or_else(|| Usage("seal 需要 --to age1…（乡镇公钥）".into()))?;
    let recipient = seal::parse_recipient(&to).map_err(|e| Usage(e.to_string()))?;
    let [file] = files.as_slice() else {
        return Err(Usage("seal 只加密一个文件（或 - 表示标准输入）".into()));
    };
    let bytes = match super::roster::bytes_of(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ruhu: {}: {e}", display_name(file));
            return Ok(ExitCode::from(2));
        }
    };
    if ruhu::core::io::is_sealed(&bytes) {
        eprintln!("ruhu: {}: 已经是加密文件，不再加密", display_name(file));
        return Ok(ExitCode::from(2));
    }
    let sealed = seal::seal(&bytes, &recipient);
    print_out(std::str::from_utf8(&sealed).expect("armour is ASCII"));
    Ok(ExitCode::SUCCESS)
}

/// `ruhu open --identity KEY FILE`: the plain content on stdout.
pub fn open_cmd(args: &[String]) -> Result<ExitCode, Usage> {
    let [file] = args else {
        return Err(Usage("open 只打开一个文件：ruhu open --identity 私钥文件 文件".into()));
    };
    let Some(id) = IDENTITY.get() else {
        return Err(Usage("open 需要 --identity 私钥文件".into()));
    };
    let bytes = match super::roster::bytes_of(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ruhu: {}: {e}", display_name(file));
            return Ok(ExitCode::from(2));
        }
    };
    match seal::open(&bytes, id, display_name(file)) {
        Ok(plain) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(&plain).and_then(|_| out.flush());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("ruhu: {e}");
            Ok(ExitCode::from(2))
        }
    }
}

/// `ruhu keygen --out FILE [--lock]`.
pub fn keygen_cmd(args: &[String]) -> Result<ExitCode, Usage> {
    let mut out = None;
    let mut lock = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => {
                out = Some(it.next().cloned().ok_or_else(|| Usage("--out 后面缺少文件名".into()))?)
            }
            "--lock" => lock = true,
            _ => match a.strip_prefix("--out=") {
                Some(v) => out = Some(v.to_string()),
                None => return Err(Usage(format!("keygen 不认识参数 \"{a}\""))),
            },
        }
    }
    let out = out.ok_or_else(|| Usage("keygen 需要 --out 私钥文件".into()))?;
    let id = Identity::generate();
    let created = super::merge::now_in_china().to_rfc3339();
    let bytes = if lock {
        let Ok(p) = std::env::var(PASSPHRASE_ENV) else {
            return Err(Usage(format!("--lock 需要把口令放在环境变量 {PASSPHRASE_ENV} 中")));
        };
        if p.chars().count() < 8 {
            return Err(Usage("私钥口令至少 8 个字符".into()));
        }
        seal::lock_identity(&id, &p, &created)
    } else {
        seal::identity_file(&id, &created).into_bytes()
    };
    // Never over an existing file: a lost identity is every sealed file lost.
    let written =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&out).and_then(|mut f| {
            use std::io::Write;
            f.write_all(&bytes)?;
            f.sync_all()
        });
    if let Err(e) = written {
        let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "文件已存在，不覆盖（旧私钥丢失后，用它加密的文件都打不开）".to_string()
        } else {
            format!("无法写入（{e}）")
        };
        eprintln!("ruhu: {out}: {why}");
        return Ok(ExitCode::from(2));
    }
    print_out(&format!("{}\n", id.recipient()));
    eprintln!("私钥已写入 {out}（请妥善保管并备份）；上面一行是乡镇公钥，发给各村排查人员。");
    Ok(ExitCode::SUCCESS)
}
