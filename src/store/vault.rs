//! Encryption at rest (issue 14): the data key while the app is unlocked, and the one sealed
//! envelope every stored value about people is written in when the app lock is on.
//!
//! **Keys.** A random 256-bit *data key* encrypts; it is made once when the lock is turned on
//! and never leaves memory in plain form. It is stored only *wrapped*: sealed (the envelope
//! below, AES-256-GCM) by a *key-encryption key* derived from the PIN or passphrase with
//! PBKDF2-HMAC-SHA256, [`KDF_ITERATIONS`] iterations, a random 16-byte salt, through WebCrypto
//! (`deriveBits`, `ui::lock::kdf`). The lock's public parameters (salt, iterations, the
//! wrapped key, the count of wrong attempts) are in `localStorage` (`ui::lock`). A wrong PIN
//! is told by the wrapped key failing to open (GCM's tag), so nothing else checks the PIN.
//!
//! **Measured cost** of the derivation (Chromium 156 headless on this 2-core machine,
//! `crypto.subtle.deriveBits`, 600,000 iterations, `tests/bench/README.md`, App lock): 0.21 s
//! at best, 0.26–0.93 s with the machine loaded (load average 8). Chromium runs it off the main
//! thread, so CDP's 4× CPU throttling does not slow it; a phone four times slower than this
//! machine pays about 1 s. It is paid once per unlock (and when the PIN is set or changed).
//!
//! **The envelope** (`seal` / `open`): `MAGIC` (`00 52 56 31`, "\0RV1": no JSON text or
//! value this app stores begins with a NUL byte) ‖ a random 96-bit nonce ‖ AES-256-GCM
//! ciphertext with its 128-bit tag. The associated data is `ruhu/` and where the value lives
//! (a record's id, a `meta` key, a `localStorage` key), so a sealed value moved to another
//! place fails to open. Because a plain value never starts with `MAGIC`, plain and sealed
//! values are both readable with the key: that is what makes turning the lock on or off one
//! pass that a crash cannot break (see [`Mode`] and `IdbStore::reseal`).
//!
//! **Why a Rust cipher and not WebCrypto** for the values: the store compares the stored
//! state inside its write transaction (`put_over`), and an IndexedDB transaction commits as
//! soon as the page awaits anything but its own requests; WebCrypto is promise-only. The
//! editor's journal is written synchronously at every keystroke (`ui::editor::journal`), also
//! impossible through a promise. RustCrypto's `aes-gcm` (audited by NCC Group, 2020) is
//! synchronous and costs about 20 KB of wasm in the bundles that read records (feature
//! `vault`; never the start page). WebCrypto does the PBKDF2 derivation and the session key
//! that carries the data key between pages (`ui::lock::session`), where waiting is harmless.
//!
//! **What this does not protect against**, plainly:
//! - A 6-digit PIN against someone who copies the phone's storage: the salt, the iteration
//!   count and the wrapped key are in it, so every one of the 10⁶ PINs can be tried offline,
//!   each costing one PBKDF2 (0.21 s on one core here: 10⁶ × 0.21 s ≈ 58 hours on one core,
//!   a few hours on an 8-core computer, minutes on a GPU, which runs thousands in parallel). Only a long passphrase resists
//!   that. The growing delay between wrong attempts slows guessing through the app's own
//!   screen only.
//! - Anyone who uses the phone while it is unlocked, or malware in the browser.
//! - While a tab is unlocked, its session key (`ui::lock::session`) is on the disk in the
//!   browser's profile; a copy of the profile taken then opens the data key. It is removed
//!   when the app locks (5 minutes in the background) or the lock is turned off.
//! - What is not about people stays plain: record ids, revisions and save times, the store's
//!   generation token, the device id, the count of wrong attempts.
//! - A forgotten PIN: nobody can open the records again (there is no back door).

use std::borrow::Cow;
use std::cell::RefCell;

use super::StoreError;

#[cfg(all(feature = "vault", target_arch = "wasm32"))]
pub mod web;

/// Drops the WebCrypto copy of the key too (`web`).
fn clear_web() {
    #[cfg(all(feature = "vault", target_arch = "wasm32"))]
    web::clear();
}

/// Whether many values at once go through WebCrypto (`web`: the key is held there).
pub fn web_held() -> bool {
    #[cfg(all(feature = "vault", target_arch = "wasm32"))]
    {
        web::held()
    }
    #[cfg(not(all(feature = "vault", target_arch = "wasm32")))]
    {
        false
    }
}

/// The PBKDF2-HMAC-SHA256 iterations of a new lock (OWASP's 2023 figure for SHA-256).
pub const KDF_ITERATIONS: u32 = 600_000;

/// How a sealed value begins.
pub const MAGIC: &[u8; 4] = b"\0RV1";
/// How sealed text begins (`localStorage` holds text: the envelope in base64 after it).
pub const TEXT_MAGIC: &str = "ruhu-sealed/1:";
#[cfg(feature = "vault")]
const NONCE: usize = 12;
#[cfg(feature = "vault")]
const TAG: usize = 16;

/// What writes do with the data key, and whether one is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No lock: values are written plain (and a sealed value cannot be read).
    Plain,
    /// The lock is on but no key is held (the lock screen): every write is refused, every
    /// sealed value unreadable.
    Locked,
    /// Unlocked with the lock on: writes are sealed, reads open both sealed and plain values.
    Sealing,
    /// Turning the lock off: the key is held to read sealed values, writes are plain.
    Opening,
}

struct State {
    mode: Mode,
    #[cfg(feature = "vault")]
    cipher: Option<aes_gcm::Aes256Gcm>,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State {
            mode: Mode::Plain,
            #[cfg(feature = "vault")]
            cipher: None,
        })
    };
}

/// The current mode.
pub fn mode() -> Mode {
    STATE.with(|s| s.borrow().mode)
}

/// The lock is on and no key is held: nothing is written until `unlock`; the page shows the
/// lock screen (or, on the start page, hands over to the full app).
pub fn set_locked() {
    clear_web();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.mode = Mode::Locked;
        #[cfg(feature = "vault")]
        {
            s.cipher = None;
        }
    });
}

/// Whether bytes are a sealed envelope.
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Whether stored text is sealed.
pub fn is_sealed_text(text: &str) -> bool {
    text.starts_with(TEXT_MAGIC)
}

/// An error while [`Mode::Locked`] (nothing may be written then).
pub fn refuse_if_locked() -> Result<(), StoreError> {
    if mode() == Mode::Locked {
        Err(locked())
    } else {
        Ok(())
    }
}

fn locked() -> StoreError {
    StoreError {
        kind: super::StoreErrorKind::Unavailable,
        message: "应用已上锁：请先输入应用锁密码解锁。".to_string(),
    }
}

#[cfg(feature = "vault")]
fn aad(place: &str) -> Vec<u8> {
    let mut a = Vec::with_capacity(5 + place.len());
    a.extend_from_slice(b"ruhu/");
    a.extend_from_slice(place.as_bytes());
    a
}

/// `plain` as it is to be stored at `place`: `None` to store it as it is (no lock, or the
/// lock being turned off), `Some(envelope)` when the lock is on. Refused while locked.
pub fn seal(place: &str, plain: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    match mode() {
        Mode::Plain | Mode::Opening => Ok(None),
        Mode::Locked => Err(locked()),
        Mode::Sealing => sealed(place, plain).map(Some),
    }
}

/// Whether writes are sealed now.
pub fn sealing() -> bool {
    mode() == Mode::Sealing
}

/// The plain bytes of a stored value: itself when it is plain, else opened with the key.
pub fn open<'a>(place: &str, stored: &'a [u8]) -> Result<Cow<'a, [u8]>, StoreError> {
    if !is_sealed(stored) {
        return Ok(Cow::Borrowed(stored));
    }
    opened(place, stored).map(Cow::Owned)
}

/// Text to keep at `place` in `localStorage`: sealed (`TEXT_MAGIC` and base64) when the lock
/// is on, else the text itself. Refused while locked.
pub fn seal_text(place: &str, plain: &str) -> Result<String, StoreError> {
    Ok(match seal(place, plain.as_bytes())? {
        None => plain.to_string(),
        #[cfg(not(feature = "vault"))]
        Some(_) => return Err(locked()),
        #[cfg(feature = "vault")]
        Some(envelope) => {
            let mut out = String::with_capacity(TEXT_MAGIC.len() + envelope.len() * 4 / 3 + 4);
            out.push_str(TEXT_MAGIC);
            base64_into(&envelope, &mut out);
            out
        }
    })
}

/// The plain text of a `localStorage` value at `place` ([`seal_text`]'s inverse; plain text
/// is itself).
pub fn open_text<'a>(place: &str, stored: &'a str) -> Result<Cow<'a, str>, StoreError> {
    let Some(b64) = stored.strip_prefix(TEXT_MAGIC) else { return Ok(Cow::Borrowed(stored)) };
    // Without the cipher (the start page) sealed text cannot be opened: no decoder either.
    #[cfg(not(feature = "vault"))]
    {
        let _ = (b64, place);
        Err(locked())
    }
    #[cfg(feature = "vault")]
    {
        let envelope = base64_decode(b64).ok_or_else(|| {
            StoreError::corrupt(format!("本机保存的“{place}”"), "加密文本的格式不对")
        })?;
        let plain = opened(place, &envelope)?;
        String::from_utf8(plain)
            .map(Cow::Owned)
            .map_err(|e| StoreError::corrupt(format!("本机保存的“{place}”"), e))
    }
}

/// Text as the current mode stores it, when it is not already so: `Some(new text)` for a
/// plain value while sealing or a sealed one while opening, `None` when it is as it should
/// be. (The pass over `localStorage`.)
pub fn refit_text(place: &str, stored: &str) -> Result<Option<String>, StoreError> {
    match (mode(), is_sealed_text(stored)) {
        (Mode::Sealing, false) => seal_text(place, stored).map(Some),
        (Mode::Opening | Mode::Plain, true) => {
            open_text(place, stored).map(|t| Some(t.into_owned()))
        }
        (Mode::Locked, _) => Err(locked()),
        _ => Ok(None),
    }
}

#[cfg(feature = "vault")]
fn sealed(place: &str, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
    use aes_gcm::aead::{Aead, Payload};
    let mut nonce = [0u8; NONCE];
    random(&mut nonce)?;
    let ct = STATE.with(|s| {
        let s = s.borrow();
        let cipher = s.cipher.as_ref().ok_or_else(locked)?;
        cipher
            .encrypt((&nonce).into(), Payload { msg: plain, aad: &aad(place) })
            .map_err(|_| StoreError::failed("加密失败"))
    })?;
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE + ct.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

#[cfg(not(feature = "vault"))]
fn sealed(_place: &str, _plain: &[u8]) -> Result<Vec<u8>, StoreError> {
    Err(locked())
}

#[cfg(feature = "vault")]
fn opened(place: &str, envelope: &[u8]) -> Result<Vec<u8>, StoreError> {
    STATE.with(|s| {
        let s = s.borrow();
        let cipher = s.cipher.as_ref().ok_or_else(locked)?;
        open_with(cipher, &aad(place), envelope).ok_or_else(|| {
            StoreError::corrupt(
                format!("本机加密保存的“{place}”"),
                "无法解密（数据被改动，或不是用本机的密钥加密的）",
            )
        })
    })
}

#[cfg(not(feature = "vault"))]
fn opened(_place: &str, _envelope: &[u8]) -> Result<Vec<u8>, StoreError> {
    Err(locked())
}

#[cfg(feature = "vault")]
fn open_with(cipher: &aes_gcm::Aes256Gcm, aad: &[u8], envelope: &[u8]) -> Option<Vec<u8>> {
    use aes_gcm::aead::{Aead, Payload};
    let body = envelope.strip_prefix(MAGIC.as_slice())?;
    if body.len() < NONCE + TAG {
        return None;
    }
    let (nonce, ct) = body.split_at(NONCE);
    cipher.decrypt(nonce.into(), Payload { msg: ct, aad }).ok()
}

/// Fills `buf` from the system's (the browser's) cryptographic random source.
#[cfg(feature = "vault")]
pub fn random(buf: &mut [u8]) -> Result<(), StoreError> {
    getrandom::getrandom(buf).map_err(|e| StoreError::failed(format!("无法取得随机数：{e}")))
}

/// A 256-bit key, a salt or a nonce: random bytes.
#[cfg(feature = "vault")]
pub fn random_key() -> Result<[u8; 32], StoreError> {
    let mut k = [0u8; 32];
    random(&mut k)?;
    Ok(k)
}

/// Holds the data key: values are opened with it, and written as `mode` says ([`Mode::Sealing`]
/// with the lock on, [`Mode::Opening`] while it is turned off). In the browser the app then
/// also gives it to WebCrypto (`web::hold`) for reading and sealing many values at once.
#[cfg(feature = "vault")]
pub fn unlock(data_key: &[u8; 32], mode: Mode) {
    use aes_gcm::KeyInit;
    let cipher = aes_gcm::Aes256Gcm::new(data_key.into());
    clear_web();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.cipher = Some(cipher);
        s.mode = mode;
    });
}

/// Changes what writes do, keeping the key (turning the lock off: [`Mode::Opening`]; done:
/// [`forget`]).
#[cfg(feature = "vault")]
pub fn set_mode(mode: Mode) {
    STATE.with(|s| s.borrow_mut().mode = mode);
}

/// Drops the key; values are written plain again (the lock was turned off and every value
/// opened).
#[cfg(feature = "vault")]
pub fn forget() {
    clear_web();
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.cipher = None;
        s.mode = Mode::Plain;
    });
}

#[cfg(feature = "vault")]
const WRAP_PLACE: &str = "lock/data-key";

/// `plain` sealed with `key` (not the held one) at `place`.
#[cfg(feature = "vault")]
pub fn seal_with_key(key: &[u8; 32], place: &str, plain: &[u8]) -> Result<Vec<u8>, StoreError> {
    use aes_gcm::aead::{Aead, Payload};
    use aes_gcm::KeyInit;
    let cipher = aes_gcm::Aes256Gcm::new(key.into());
    let mut nonce = [0u8; NONCE];
    random(&mut nonce)?;
    let ct = cipher
        .encrypt((&nonce).into(), Payload { msg: plain, aad: &aad(place) })
        .map_err(|_| StoreError::failed("加密失败"))?;
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE + ct.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// The plain bytes of an envelope sealed with `key` at `place`, if it opens.
#[cfg(feature = "vault")]
pub fn open_with_key(key: &[u8; 32], place: &str, envelope: &[u8]) -> Option<Vec<u8>> {
    use aes_gcm::KeyInit;
    open_with(&aes_gcm::Aes256Gcm::new(key.into()), &aad(place), envelope)
}

/// The data key sealed by the key-encryption key (derived from the PIN).
#[cfg(feature = "vault")]
pub fn wrap_key(kek: &[u8; 32], data_key: &[u8; 32]) -> Result<Vec<u8>, StoreError> {
    seal_with_key(kek, WRAP_PLACE, data_key)
}

/// The data key of a wrapped key, if `kek` opens it (a wrong PIN does not).
#[cfg(feature = "vault")]
pub fn unwrap_key(kek: &[u8; 32], wrapped: &[u8]) -> Option<[u8; 32]> {
    open_with_key(kek, WRAP_PLACE, wrapped)?.try_into().ok()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, appended to `out`.
pub fn base64_into(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
}

/// Bytes of standard base64 (padding optional); `None` if it is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for n in 0..70u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let mut s = String::new();
            base64_into(&bytes, &mut s);
            assert_eq!(s.len() % 4, 0);
            assert_eq!(base64_decode(&s).unwrap(), bytes);
        }
        let mut s = String::new();
        base64_into(b"foobar", &mut s);
        assert_eq!(s, "Zm9vYmFy");
        assert_eq!(base64_decode("Zm9vYg==").unwrap(), b"foob");
        assert!(base64_decode("Zm9v!").is_none());
    }

    #[test]
    fn plain_mode_keeps_values_and_cannot_open_sealed_ones() {
        assert_eq!(seal("x", b"{}").unwrap(), None);
        assert_eq!(open("x", b"{\"a\":1}").unwrap().as_ref(), b"{\"a\":1}");
        assert!(open("x", b"\0RV1abcdefghijklmnopqrstuvwxyz0123").is_err());
    }

    #[cfg(feature = "vault")]
    #[test]
    fn sealed_values_open_only_with_their_key_and_place() {
        let key = random_key().unwrap();
        unlock(&key, Mode::Sealing);
        let env = seal("records/1", "张伟 152127198001010011".as_bytes()).unwrap().unwrap();
        assert!(is_sealed(&env));
        assert!(!env.windows(6).any(|w| w == "张伟".as_bytes()));
        assert_eq!(open("records/1", &env).unwrap().as_ref(), "张伟 152127198001010011".as_bytes());
        // Another place, a changed byte, a cut envelope: refused.
        assert!(open("records/2", &env).is_err());
        let mut bad = env.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert!(open("records/1", &bad).is_err());
        assert!(open("records/1", &env[..env.len() - 1]).is_err());
        // Plain values still read; two seals of one value differ (random nonces).
        assert_eq!(open("records/1", b"{}").unwrap().as_ref(), b"{}");
        assert_ne!(seal("p", b"x").unwrap(), seal("p", b"x").unwrap());
        // Text for localStorage.
        let t = seal_text("ruhu.settings", "{\"surveyor\":\"李明\"}").unwrap();
        assert!(is_sealed_text(&t) && !t.contains("李明"));
        assert_eq!(open_text("ruhu.settings", &t).unwrap(), "{\"surveyor\":\"李明\"}");
        assert_eq!(refit_text("ruhu.settings", &t).unwrap(), None);
        assert!(refit_text("ruhu.settings", "{}").unwrap().is_some_and(|s| is_sealed_text(&s)));
        // Opening: writes plain, sealed values still read, the pass opens them.
        set_mode(Mode::Opening);
        assert_eq!(seal("p", b"x").unwrap(), None);
        assert_eq!(
            refit_text("ruhu.settings", &t).unwrap().as_deref(),
            Some("{\"surveyor\":\"李明\"}")
        );
        // Another key does not open it; locked refuses writes.
        unlock(&random_key().unwrap(), Mode::Sealing);
        assert!(open("records/1", &env).is_err());
        set_locked();
        assert!(seal("p", b"x").is_err());
        assert!(seal_text("p", "x").is_err());
        forget();
    }

    #[cfg(feature = "vault")]
    #[test]
    fn the_data_key_unwraps_only_with_its_kek() {
        let (kek, data) = (random_key().unwrap(), random_key().unwrap());
        let wrapped = wrap_key(&kek, &data).unwrap();
        assert_eq!(unwrap_key(&kek, &wrapped), Some(data));
        assert_eq!(unwrap_key(&random_key().unwrap(), &wrapped), None);
    }
}
