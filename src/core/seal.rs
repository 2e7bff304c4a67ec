//! Sealed files (feature `seal`): a file encrypted to the township's public key in the
//! standard [age](https://age-encryption.org/v1) format, so that only the township office
//! (or anyone holding its identity file) can read it, with ruhu or with the standard `age`
//! command-line tool (`age -d -i identity.txt FILE`).
//!
//! # The format
//!
//! - **Recipient** (乡镇公钥): an age X25519 public key, `age1…` (Bech32, 62 characters). It
//!   is not secret: the office gives it to every surveyor (in the township configuration,
//!   [`crate::config`], or typed into 设置).
//! - **Identity** (乡镇私钥): the matching `AGE-SECRET-KEY-1…`, kept in an identity file laid
//!   out as `age-keygen` writes it ([`identity_file`]: `# created:`, `# public key: age1…`,
//!   the key), which `age -d -i` reads.
//! - **A sealed file** ([`seal`]): age v1 to that one X25519 recipient, ASCII-armoured
//!   (`-----BEGIN AGE ENCRYPTED FILE-----`, base64 lines of 64, `-----END AGE ENCRYPTED
//!   FILE-----`), so it is text: it travels as `.txt` through WeChat and Android's share
//!   sheet (Chromium shares `.txt`, not `.json`). [`open`] reads it armoured or binary (`age`
//!   without `-a`), with CRLF line ends or a byte-order mark added by a Windows editor.
//! - **The identity under a passphrase** ([`lock_identity`]): the identity file encrypted
//!   with age's own passphrase recipient (scrypt), armoured — what `age -p -a` writes, and
//!   what `age -d -i` asks a passphrase for (tested through a pseudo-terminal). Work factor
//!   [`IDENTITY_WORK_FACTOR`] = 2^18 (age's own default target of about a second; 256 MiB of
//!   memory). Measured natively on this machine (`cargo bench -p ruhu-core --features
//!   seal,testkit --bench seal`, `tests/bench/README.md`): lock 1.8–2.9 s, unlock 2.1–4.1 s
//!   with the 2 cores loaded by four other builds (load 8; an idle machine takes perhaps a
//!   third of that). In WebAssembly about 2–3× the native time (no SIMD, 32-bit arithmetic):
//!   headless Chromium took 7.3 s to lock and 6.0 s to unlock under the same load
//!   (`tests/seal_wasm.rs`). It is paid once per unlock; 2^17 would halve it.
//!
//! Detection needs no feature: [`crate::io::is_sealed`] (the armour's first line, or the
//! binary header `age-encryption.org/v1`) is what the readers use to say 此文件已加密 instead of
//! "not JSON".
//!
//! # What is protected, and what is not
//!
//! - Protected: the **content** of a sealed file — names, ID numbers, phones, incomes,
//!   illnesses — against anyone who gets the file (a forwarded WeChat message, a lost USB
//!   stick, a phone's download folder) without the township's identity. age is authenticated:
//!   a changed or cut file is **refused** ([`SealError::Damaged`], [`SealError::Truncated`],
//!   named by its file), never read in part.
//! - Not protected: that a file exists, its **size** (about the plain size × 4/3 for the
//!   armour), and its **file name** — so file names must carry no person's name (the
//!   pages name sealed files by village, date and count). Not who sent it: age does not
//!   sign, so anyone with the public key can make a sealed file; the import's own checks
//!   (format, lineage, conflicts) still apply to what is inside. Not the plain copies on the
//!   phone that made it (encryption at rest is a separate part of issue 14). Not the
//!   identity: whoever has the identity file (and its passphrase, when locked) reads every
//!   file ever sealed to it; a lost identity means sealed files nobody can open.
//!
//! # Crate and features
//!
//! The `age` crate (the rage project, Rust, MIT/Apache-2.0) with only the `armor` feature:
//! no CLI helpers, SSH keys, plugins or async. Its randomness is `getrandom` 0.2 (through
//! `rand` 0.8 and `x25519-dalek`), which on `wasm32-unknown-unknown` needs its `js` backend:
//! the core names no web crate, so the **app crate** enables `getrandom/js` in its wasm32
//! dependencies (as it does `uuid/js`). Without the `web-sys` feature age cannot time scrypt in
//! a browser; the work factor here is always given explicitly, so it never needs to.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::str::FromStr;

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use age::secrecy::{ExposeSecret, SecretString};

use crate::io::detect::{is_sealed, ARMOR_BEGIN, ARMOR_END};
use crate::io::MAX_INPUT_BYTES;

/// The largest sealed file read: an armoured [`MAX_INPUT_BYTES`] (base64 is 4/3 of the
/// bytes, plus a line end per 48 bytes and the header).
pub const MAX_SEALED_BYTES: usize = MAX_INPUT_BYTES / 48 * 65 + 64 * 1024;

/// The scrypt work factor (log2 N) of an identity kept under a passphrase: 18, age's own
/// default target (about one second of work, 256 MiB of memory, on a PC).
pub const IDENTITY_WORK_FACTOR: u8 = 18;

/// The largest work factor [`unlock_identity`] accepts (a file asking for more is refused
/// rather than tying the machine up for minutes): 2^20, about four times the default.
pub const MAX_WORK_FACTOR: u8 = 20;

/// Why a key or a sealed file cannot be used. Each has a stable code ([`SealError::code`])
/// and a Chinese message; those about a file name it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// Not an `age1…` recipient.
    #[error("一个无效的乡镇公钥: {0}")]
    BadRecipient(String),
    /// Not an `AGE-SECRET-KEY-1…` identity (or an identity file without one).
    #[error("一个无效的乡镇私钥: {0}")]
    BadIdentity(String),
    /// A sealed file and no identity to open it.
    #[error("{file}: 此文件已加密，需要乡镇私钥才能打开")]
    NeedsIdentity { file: String },
    /// Sealed to another key (or its header's key stanza was changed).
    #[error("{file}: 此文件不是加密给本乡镇公钥的（私钥不匹配，或文件头被改动），无法打开")]
    WrongIdentity { file: String },
    /// Changed: the authentication failed.
    #[error("{file}: 加密文件已被改动或损坏（{why}），拒绝读取")]
    Damaged { file: String, why: String },
    /// Cut short (a transfer or a save that stopped).
    #[error("{file}: 加密文件不完整（可能在传输或保存时被截断），拒绝读取")]
    Truncated { file: String },
    /// An age file of another kind (passphrase-only, a newer version, a plugin's key).
    #[error("{file}: 不支持的加密文件（{why}）")]
    Unsupported { file: String, why: String },
    /// [`open`] of a file that is not sealed.
    #[error("{file}: 不是加密文件")]
    NotSealed { file: String },
    /// [`unlock_identity`] with the wrong passphrase.
    #[error("私钥文件的口令不对")]
    WrongPassphrase,
    /// The decrypted content is beyond the reader's limit.
    #[error("{file}: 解密后的内容超过 {} MB，不予读取", MAX_INPUT_BYTES / 1024 / 1024)]
    TooLarge { file: String },
}

impl SealError {
    /// The file the error is about, for those about a file.
    pub fn file(&self) -> Option<&str> {
        match self {
            SealError::NeedsIdentity { file }
            | SealError::WrongIdentity { file }
            | SealError::Damaged { file, .. }
            | SealError::Truncated { file }
            | SealError::Unsupported { file, .. }
            | SealError::NotSealed { file }
            | SealError::TooLarge { file } => Some(file),
            _ => None,
        }
    }

    /// The message without the file's name in front (for a caller that names it itself).
    pub fn reason(&self) -> String {
        let text = self.to_string();
        match self.file() {
            Some(f) => text.strip_prefix(&format!("{f}: ")).map(str::to_string).unwrap_or(text),
            None => text,
        }
    }

    /// The stable kebab-case code of the error.
    pub fn code(&self) -> &'static str {
        match self {
            SealError::BadRecipient(_) => "bad-recipient",
            SealError::BadIdentity(_) => "bad-identity",
            SealError::NeedsIdentity { .. } => "sealed-needs-identity",
            SealError::WrongIdentity { .. } => "sealed-wrong-identity",
            SealError::Damaged { .. } => "sealed-damaged",
            SealError::Truncated { .. } => "sealed-truncated",
            SealError::Unsupported { .. } => "sealed-unsupported",
            SealError::NotSealed { .. } => "not-sealed",
            SealError::WrongPassphrase => "wrong-passphrase",
            SealError::TooLarge { .. } => "sealed-too-large",
        }
    }
}

/// The township's public key (`age1…`): what files are sealed to.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient(age::x25519::Recipient);

impl Recipient {
    /// The key as text, `age1…`.
    pub fn to_text(&self) -> String {
        self.0.to_string()
    }
}

impl std::fmt::Display for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recipient({})", self.0)
    }
}

impl FromStr for Recipient {
    type Err = SealError;
    fn from_str(s: &str) -> Result<Recipient, SealError> {
        parse_recipient(s)
    }
}

/// Reads a township public key, `age1…` (spaces around it ignored), with a Chinese reason
/// when it is not one: `一个无效的乡镇公钥: …`.
pub fn parse_recipient(text: &str) -> Result<Recipient, SealError> {
    let t = text.trim();
    let bad = |why: &str| Err(SealError::BadRecipient(why.to_string()));
    if t.is_empty() {
        return bad("为空（应为以 age1 开头的一串字母和数字）");
    }
    if t.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
        return bad("这是私钥（AGE-SECRET-KEY-…），不是公钥；私钥只能留在乡镇，切勿分发");
    }
    if !t.starts_with("age1") {
        let head: String = t.chars().take(12).collect();
        return bad(&format!("应以 age1 开头（现为“{head}…”）"));
    }
    if t.contains(char::is_whitespace) {
        return bad("中间有空格或换行（请完整复制一行）");
    }
    match age::x25519::Recipient::from_str(t) {
        Ok(r) => Ok(Recipient(r)),
        Err(_) if t.len() != 62 => bad(&format!("长度应为 62 个字符（现有 {} 个）", t.len())),
        Err(_) => bad("校验不通过（可能抄错了字符）"),
    }
}

/// The township's identity (`AGE-SECRET-KEY-1…`): what opens sealed files. Its `Debug`
/// never shows the key.
#[derive(Clone)]
pub struct Identity(age::x25519::Identity);

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity(public key {})", self.recipient())
    }
}

impl Identity {
    /// A new random key pair (the randomness is the platform's: getrandom).
    pub fn generate() -> Identity {
        Identity(age::x25519::Identity::generate())
    }

    /// Its public key, to give to the surveyors.
    pub fn recipient(&self) -> Recipient {
        Recipient(self.0.to_public())
    }

    /// The secret key as text, `AGE-SECRET-KEY-1…` (keep it out of logs).
    pub fn secret_text(&self) -> String {
        self.0.to_string().expose_secret().to_string()
    }
}

/// An identity file as `age-keygen` writes it (`age -d -i` reads it):
/// `# created: {created}`, `# public key: age1…`, then the secret key.
pub fn identity_file(identity: &Identity, created: &str) -> String {
    format!(
        "# created: {created}\n# public key: {}\n{}\n",
        identity.recipient(),
        identity.secret_text()
    )
}

/// Reads an identity: a bare `AGE-SECRET-KEY-1…` or an identity file (lines starting with
/// `#` are comments; exactly one key). A passphrase-locked file needs [`unlock_identity`].
pub fn parse_identity(text: &str) -> Result<Identity, SealError> {
    let bad = |why: &str| Err(SealError::BadIdentity(why.to_string()));
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with(ARMOR_BEGIN) {
        return bad("这是加密的私钥文件，需要输入口令");
    }
    let keys: Vec<&str> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    match keys.as_slice() {
        [] => bad("文件里没有私钥（应有一行 AGE-SECRET-KEY-1…）"),
        [key] => {
            if key.starts_with("age1") {
                return bad("这是公钥（age1…），打开加密文件需要私钥 AGE-SECRET-KEY-1…");
            }
            if !key.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-1") {
                let head: String = key.chars().take(16).collect();
                return bad(&format!("应以 AGE-SECRET-KEY-1 开头（现为“{head}…”）"));
            }
            age::x25519::Identity::from_str(key)
                .map(Identity)
                .or_else(|_| bad("校验不通过（可能抄错或不完整）"))
        }
        _ => bad(&format!("文件里有 {} 行内容，应只有一个私钥", keys.len())),
    }
}

/// Seals `plain` to the township: age v1 to `to`, ASCII-armoured text.
pub fn seal(plain: &[u8], to: &Recipient) -> Vec<u8> {
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&to.0 as &dyn age::Recipient))
        .expect("one X25519 recipient is always a valid set");
    armoured(encryptor, plain)
}

/// Seals `plain` to every one of `to` (each opens it alone): a roster's prefilled drafts to
/// the village surveyor's phone and to the township. `None` when `to` is empty.
pub fn seal_to_all(plain: &[u8], to: &[Recipient]) -> Option<Vec<u8>> {
    let encryptor =
        age::Encryptor::with_recipients(to.iter().map(|r| &r.0 as &dyn age::Recipient)).ok()?;
    Some(armoured(encryptor, plain))
}

fn armoured(encryptor: age::Encryptor, plain: &[u8]) -> Vec<u8> {
    // Writing to a Vec cannot fail.
    let out = Vec::with_capacity(plain.len() * 4 / 3 + 512);
    let armor = ArmoredWriter::wrap_output(out, Format::AsciiArmor).expect("write to a Vec");
    let mut w = encryptor.wrap_output(armor).expect("write to a Vec");
    w.write_all(plain).expect("write to a Vec");
    w.finish().and_then(|armor| armor.finish()).expect("write to a Vec")
}

/// The bytes age reads: without a byte-order mark or leading blank space, and an armour's
/// CRLF line ends made LF (a Windows editor or a mail program may add either; the armour is
/// base64, so nothing of the content changes).
fn normalised(bytes: &[u8]) -> Cow<'_, [u8]> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let b = &b[start..];
    if b.starts_with(ARMOR_BEGIN.as_bytes()) && b.contains(&b'\r') {
        Cow::Owned(b.iter().copied().filter(|&c| c != b'\r').collect())
    } else {
        Cow::Borrowed(b)
    }
}

/// Opens a sealed file (armoured or binary) with the township's identity. `file` names it
/// in every error. A changed file is [`SealError::Damaged`], a cut one
/// [`SealError::Truncated`]: nothing of either is returned.
pub fn open(sealed: &[u8], identity: &Identity, file: &str) -> Result<Vec<u8>, SealError> {
    open_with(sealed, &identity.0, false, file)
}

/// Opens `bytes` when sealed, returns them as they are when not: how a reader takes files
/// that may be either. A sealed file without an identity is [`SealError::NeedsIdentity`].
pub fn open_if_sealed<'a>(
    bytes: &'a [u8],
    identity: Option<&Identity>,
    file: &str,
) -> Result<Cow<'a, [u8]>, SealError> {
    if !is_sealed(bytes) {
        return Ok(Cow::Borrowed(bytes));
    }
    match identity {
        Some(id) => open(bytes, id, file).map(Cow::Owned),
        None => Err(SealError::NeedsIdentity { file: file.to_string() }),
    }
}

/// Opens with an X25519 identity (`passphrase` false) or a passphrase's scrypt identity.
fn open_with(
    sealed: &[u8],
    identity: &dyn age::Identity,
    passphrase: bool,
    file: &str,
) -> Result<Vec<u8>, SealError> {
    let f = || file.to_string();
    if !is_sealed(sealed) {
        return Err(SealError::NotSealed { file: f() });
    }
    let bytes = normalised(sealed);
    let armoured = bytes.starts_with(ARMOR_BEGIN.as_bytes());
    if armoured && !bytes.trim_ascii_end().ends_with(ARMOR_END.as_bytes()) {
        // The armour's last line is missing: the file stops early (or has something after it).
        return Err(if find(&bytes, ARMOR_END.as_bytes()) {
            SealError::Damaged { file: f(), why: "结束行之后还有内容".into() }
        } else {
            SealError::Truncated { file: f() }
        });
    }
    let decryptor =
        age::Decryptor::new(ArmoredReader::new(&bytes[..])).map_err(|e| decrypt_error(e, file))?;
    match (decryptor.is_scrypt(), passphrase) {
        (true, false) => {
            return Err(SealError::Unsupported {
                file: f(),
                why: "这是用口令加密的文件，不是加密给乡镇公钥的".into(),
            })
        }
        (false, true) => return Err(SealError::BadIdentity("这不是用口令加密的私钥文件".into())),
        _ => {}
    }
    let mut reader = decryptor.decrypt(std::iter::once(identity)).map_err(|e| match e {
        // The scrypt stanza's key did not open it: the passphrase is wrong.
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed
            if passphrase =>
        {
            SealError::WrongPassphrase
        }
        e => decrypt_error(e, file),
    })?;
    let mut plain = Vec::new();
    (&mut reader)
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut plain)
        .map_err(|e| io_error(e, file))?;
    if plain.len() > MAX_INPUT_BYTES {
        return Err(SealError::TooLarge { file: f() });
    }
    Ok(plain)
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn decrypt_error(e: age::DecryptError, file: &str) -> SealError {
    use age::DecryptError as E;
    let file = file.to_string();
    match e {
        E::NoMatchingKeys => SealError::WrongIdentity { file },
        E::KeyDecryptionFailed => SealError::WrongPassphrase,
        E::DecryptionFailed => SealError::Damaged { file, why: PAYLOAD.into() },
        E::InvalidMac => SealError::Damaged { file, why: "文件头校验失败".into() },
        E::InvalidHeader => SealError::Damaged { file, why: "文件头无效".into() },
        E::Io(e) => io_error(e, &file),
        E::UnknownFormat => SealError::Damaged {
            file,
            why: "文件头无法识别：被改动、损坏，或是更新版本的 age 格式".into(),
        },
        E::ExcessiveWork { required, .. } => {
            SealError::Unsupported { file, why: format!("口令的计算量 2^{required} 过大") }
        }
    }
}

/// Why a payload is refused: its authentication tag fails, which is what a change and (in a
/// binary file, which has no end line) a cut inside a chunk both look like.
const PAYLOAD: &str = "内容校验失败：文件被改动、损坏或不完整";

fn io_error(e: std::io::Error, file: &str) -> SealError {
    let file = file.to_string();
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => SealError::Truncated { file },
        _ => {
            let text = e.to_string();
            if text.contains("last chunk") || text.contains("truncat") {
                SealError::Truncated { file }
            } else {
                SealError::Damaged { file, why: PAYLOAD.into() }
            }
        }
    }
}

/// The identity file ([`identity_file`]) encrypted under a passphrase with age's scrypt
/// recipient at [`IDENTITY_WORK_FACTOR`], armoured: what the office keeps and offers as a
/// backup. `age -d` opens it too (it asks for the passphrase).
pub fn lock_identity(identity: &Identity, passphrase: &str, created: &str) -> Vec<u8> {
    lock_identity_with(identity, passphrase, created, IDENTITY_WORK_FACTOR)
}

/// [`lock_identity`] at another work factor (log2 N; tests use a small one).
pub fn lock_identity_with(
    identity: &Identity,
    passphrase: &str,
    created: &str,
    log_n: u8,
) -> Vec<u8> {
    let mut r = age::scrypt::Recipient::new(SecretString::from(passphrase.to_string()));
    r.set_work_factor(log_n.clamp(1, MAX_WORK_FACTOR));
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        .expect("one scrypt recipient is always a valid set");
    armoured(encryptor, identity_file(identity, created).as_bytes())
}

/// Opens a passphrase-locked identity file ([`lock_identity`], or `age -p` of an identity
/// file). A wrong passphrase is [`SealError::WrongPassphrase`].
pub fn unlock_identity(locked: &[u8], passphrase: &str) -> Result<Identity, SealError> {
    let mut id = age::scrypt::Identity::new(SecretString::from(passphrase.to_string()));
    id.set_max_work_factor(MAX_WORK_FACTOR);
    let plain = open_with(locked, &id, true, "私钥文件")?;
    let text = String::from_utf8(plain)
        .map_err(|_| SealError::BadIdentity("解密后不是私钥文件".into()))?;
    parse_identity(&text)
}

/// Reads an identity file, plain or passphrase-locked (`passphrase` is asked for only then).
pub fn read_identity_file(bytes: &[u8], passphrase: Option<&str>) -> Result<Identity, SealError> {
    if is_sealed(bytes) {
        return match passphrase {
            Some(p) => unlock_identity(bytes, p),
            None => Err(SealError::BadIdentity("这是加密的私钥文件，需要输入口令".into())),
        };
    }
    let text =
        std::str::from_utf8(bytes).map_err(|_| SealError::BadIdentity("不是文本文件".into()))?;
    parse_identity(text)
}

#[cfg(test)]
mod tests;
