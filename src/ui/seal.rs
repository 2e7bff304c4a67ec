//! Sealed files in the pages (issue 14): what the surveyor's exports are sealed to, what the
//! office keeps to open them, and the one place the pages call `core::seal`.
//!
//! **Only in the bundles that need it.** `core::seal` (age) is the app crate's feature `seal`,
//! which Trunk passes for `app.html` (seal exports; the office imports there),
//! `office.html` (the key pair, the configuration) and `roster.html` (prefilled drafts sealed
//! to a phone) — `data-cargo-features="seal"` on their `rel="rust"` link. The start page
//! (`index.html`) builds without it:
//! the start page writes no file (its 导出 and 导入 are intents carried out by `app.html`,
//! `ui::handover`), so here every function has a plain stand-in without the feature that
//! says the page cannot seal (never reached from those pages).
//!
//! **The surveyor's side.** 设置 › 乡镇公钥 (`settings/township_key.rs`) keeps the township's
//! recipient `age1…` in the settings (`Settings::township_key`, checked by
//! `core::seal::parse_recipient` before it is kept: a bad key is said and the good one
//! stays). With it set, every record export (`ui::transfer::export`: 导出全部 / 本村 / 所选 /
//! 本户 / one visit, downloaded and shared) is [`seal_text`]-ed to it: age X25519,
//! ASCII-armoured, written as `.txt` ([`sealed_name`]); the result card says 已加密（只有乡镇
//! 能打开）. File names carry no person's name (`core::io::export_file_name` counts 户).
//!
//! What is **not** sealed, and why: a receipt (`ruhu.receipt/1`, 生成回执) goes from the
//! office to the surveyor and holds no person's data (record ids, revisions, content hashes,
//! the office's name): sealed to the township it could not be read by the surveyor it is for.
//! The office's CSV ledgers are for Excel on the office's own computer. The township
//! configuration (乡镇配置) holds no person's data and is never sealed (`core::config`).
//!
//! **Prefilled drafts, sealed to the phone** (they carry the roster's names and ID numbers
//! from the office to a surveyor, whose phone cannot open what is sealed to the township).
//! Each phone has a key pair of its own, the **本机公钥** ([`device_recipient`]: an age X25519
//! identity made the first time 设置 shows it, kept in the store's app values under
//! [`DEVICE_IDENTITY_KEY`] — sealed by the app lock when it is on — and never leaving the
//! phone). 设置 › 加密导出 shows its recipient with 复制本机公钥; the surveyor sends it to the
//! office (a public key: WeChat is fine). The roster page's 导出预填入户
//! (`roster/drafts_export.rs`) seals the village's drafts to that key and to the township's
//! own ([`seal_to_all`]), remembered per village; an import on the phone opens a sealed file
//! with the phone's identity first ([`load_device_identity`], then [`open`]), with nothing to
//! type. A phone whose data was cleared has a new key: drafts sealed to the old one are refused
//! by name (此文件已加密，但不是加密给本机的) and the office exports them again to the new key.
//!
//! **The office's side.** The 密钥与配置 tab of `office.html` (`township/keys.rs`) creates the
//! key pair ([`create_key`]: `Identity::generate`, then `seal::lock_identity` under a
//! passphrase of its own, scrypt 2^18) and keeps it in the store's app values
//! (`store::AppValues`, IndexedDB `meta`): the locked identity under [`IDENTITY_KEY`] (what
//! `age -p -a` writes; `age -d -i` reads it with the passphrase), the recipient under
//! [`RECIPIENT_KEY`] (public, shown without the passphrase), and when the one backup was
//! downloaded under [`BACKUP_KEY`]. The plain identity is never stored.
//!
//! **Opening.** An import (`transfer/import.rs`, in `app.html`, where the office imports)
//! that meets a sealed file asks for the passphrase once per page session: the identity is
//! unlocked ([`unlock`]) and kept only in this page's memory ([`has_session_identity`], a
//! thread-local, gone with the page), then each sealed file is [`open`]ed and read as usual.
//! A changed or cut file is refused by its name with the core's reason
//! (`SealError::reason`). A device without the township's key refuses sealed files by name
//! (此文件已加密，需要乡镇私钥才能打开).

use crate::store::{AnyStore, AppValues};

/// The app value of the office's identity, locked under its passphrase (armoured age).
pub const IDENTITY_KEY: &str = "~township-identity";
/// The app value of the office's recipient (`age1…`).
pub const RECIPIENT_KEY: &str = "~township-recipient";
/// The app value of when the backup of the identity was downloaded (RFC 3339).
pub const BACKUP_KEY: &str = "~township-backup";

/// The app value of this phone's own identity (an age identity file, `AGE-SECRET-KEY-…`),
/// which prefilled drafts are sealed to.
pub const DEVICE_IDENTITY_KEY: &str = "~device-identity";

/// This phone's recipient (`本机公钥`, `age1…`): its identity read from the store, or made and
/// kept there the first time.
pub async fn device_recipient(store: &AnyStore) -> Result<String, String> {
    if let Some(r) = load_device_identity(store).await? {
        return Ok(r);
    }
    let (file, recipient) = new_device_identity(&super::clock::now().to_rfc3339())?;
    // Never over one another tab kept meanwhile.
    if let Some(r) = load_device_identity(store).await? {
        return Ok(r);
    }
    store
        .put_app_values(&[(DEVICE_IDENTITY_KEY, &file)])
        .await
        .map_err(|e| format!("本机密钥没有保存：{e}"))?;
    Ok(recipient)
}

/// Reads this phone's identity into the page (for [`open`]): its recipient, `None` when the
/// phone has none yet.
pub async fn load_device_identity(store: &AnyStore) -> Result<Option<String>, String> {
    let read = store
        .read_app_values(&[DEVICE_IDENTITY_KEY])
        .await
        .map_err(|e| format!("读取本机密钥失败：{e}"))?;
    match read.values.into_iter().next().flatten() {
        Some(file) => hold_device_identity(&file).map(Some),
        None => Ok(None),
    }
}

/// The shortest passphrase of the office's identity.
pub const MIN_PASSPHRASE: usize = 8;

/// The office's key as kept on this device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredKey {
    /// The identity under its passphrase (armoured), if the office made one here.
    pub locked: Option<String>,
    /// Its recipient, `age1…`.
    pub recipient: Option<String>,
    /// When its backup was downloaded, if it was.
    pub backup: Option<String>,
}

/// Reads the office's key from the store (absent: all `None`).
pub async fn stored_key(store: &AnyStore) -> Result<StoredKey, String> {
    let read = store
        .read_app_values(&[IDENTITY_KEY, RECIPIENT_KEY, BACKUP_KEY])
        .await
        .map_err(|e| format!("读取本机的乡镇密钥失败：{e}"))?;
    let mut v = read.values.into_iter();
    Ok(StoredKey {
        locked: v.next().flatten(),
        recipient: v.next().flatten(),
        backup: v.next().flatten(),
    })
}

/// The name of a sealed file: `….json` becomes `….txt` (armoured age is text).
pub fn sealed_name(name: &str) -> String {
    match name.strip_suffix(".json") {
        Some(stem) => format!("{stem}.txt"),
        None if name.ends_with(".txt") => name.to_string(),
        None => format!("{name}.txt"),
    }
}

/// Why a passphrase cannot protect the office's key (`None`: it can).
pub fn passphrase_problem(pass: &str, again: &str) -> Option<String> {
    if pass.chars().count() < MIN_PASSPHRASE {
        Some(format!("口令至少 {MIN_PASSPHRASE} 个字符（忘记口令就打不开加密文件，请记牢）"))
    } else if pass != again {
        Some("两次输入的口令不一致".to_string())
    } else {
        None
    }
}

#[cfg(feature = "seal")]
mod imp {
    use std::cell::RefCell;

    use crate::core::seal::{self, Identity};

    thread_local! {
        /// The office's identity, unlocked once in this page and kept only in its memory.
        static SESSION: RefCell<Option<Identity>> = const { RefCell::new(None) };
        /// This phone's own identity, read from the store ([`super::load_device_identity`]).
        static DEVICE: RefCell<Option<Identity>> = const { RefCell::new(None) };
    }

    /// A new identity for this phone: its identity file and recipient.
    pub fn new_device_identity(created: &str) -> Result<(String, String), String> {
        let id = Identity::generate();
        Ok((seal::identity_file(&id, created), id.recipient().to_text()))
    }

    /// Keeps this phone's identity (an identity file) in the page: its recipient.
    pub fn hold_device_identity(file: &str) -> Result<String, String> {
        let id = seal::parse_identity(file).map_err(|e| format!("本机密钥已损坏：{e}"))?;
        let recipient = id.recipient().to_text();
        DEVICE.with(|d| *d.borrow_mut() = Some(id));
        Ok(recipient)
    }

    /// `plain` sealed to every one of `recipients` (each opens it alone), armoured.
    pub fn seal_to_all(plain: &str, recipients: &[String]) -> Result<String, String> {
        let to = recipients
            .iter()
            .map(|r| seal::parse_recipient(r).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let sealed = seal::seal_to_all(plain.as_bytes(), &to).ok_or("没有可加密给的公钥")?;
        String::from_utf8(sealed).map_err(|_| "加密结果不是文本".to_string())
    }

    /// Whether this page can seal and open files (built with the feature `seal`).
    pub const AVAILABLE: bool = true;

    /// A recipient typed or pasted (`age1…`), checked: the key as kept, or why not.
    pub fn check_recipient(text: &str) -> Result<String, String> {
        seal::parse_recipient(text).map(|r| r.to_text()).map_err(|e| e.to_string())
    }

    /// `plain` sealed to `recipient` (age X25519, armoured).
    pub fn seal_text(plain: &str, recipient: &str) -> Result<String, String> {
        let to = seal::parse_recipient(recipient)
            .map_err(|e| format!("文件没有导出：设置里的{e}（请在设置中改正乡镇公钥）"))?;
        let sealed = seal::seal(plain.as_bytes(), &to);
        // Armour is ASCII.
        String::from_utf8(sealed).map_err(|_| "加密结果不是文本".to_string())
    }

    /// Whether the page has the township's identity unlocked.
    pub fn has_session_identity() -> bool {
        SESSION.with(|s| s.borrow().is_some())
    }

    /// Opens a sealed file with the identity unlocked in this page. `Err`: the reason (without
    /// the file's name, which the import puts in front).
    /// This phone's own identity is tried first (prefilled drafts sealed to it), then the
    /// township's.
    pub fn open(bytes: &[u8], file: &str) -> Result<Vec<u8>, String> {
        let device = DEVICE.with(|d| d.borrow().as_ref().map(|id| seal::open(bytes, id, file)));
        if let Some(Ok(plain)) = device {
            return Ok(plain);
        }
        SESSION.with(|s| match (s.borrow().as_ref(), device) {
            (Some(id), _) => seal::open(bytes, id, file).map_err(|e| e.reason()),
            (None, Some(Err(seal::SealError::WrongIdentity { .. }))) => {
                Err("此文件已加密，但不是加密给本机的".to_string())
            }
            (None, Some(Err(e))) => Err(e.reason()),
            (None, _) => Err(seal::SealError::NeedsIdentity { file: file.into() }.reason()),
        })
    }

    /// Unlocks the office's identity with its passphrase and keeps it in this page's memory.
    pub fn unlock(locked: &str, pass: &str) -> Result<(), String> {
        let id = seal::unlock_identity(locked.as_bytes(), pass).map_err(|e| e.to_string())?;
        SESSION.with(|s| *s.borrow_mut() = Some(id));
        Ok(())
    }

    /// A backup of the office's identity ([`seal::lock_identity`]'s file, as downloaded)
    /// opened with its passphrase: its recipient (the identity kept in memory for this page).
    /// A plain identity file is refused: the office keeps its key only under a passphrase.
    pub fn restore_key(backup: &str, pass: &str) -> Result<String, String> {
        if !crate::core::io::is_sealed(backup.as_bytes()) {
            return Err("这不是乡镇私钥备份：备份文件以 -----BEGIN AGE ENCRYPTED FILE----- 开头（由“下载私钥备份”保存）".into());
        }
        let id = seal::unlock_identity(backup.as_bytes(), pass).map_err(|e| e.to_string())?;
        let recipient = id.recipient().to_text();
        SESSION.with(|s| *s.borrow_mut() = Some(id));
        Ok(recipient)
    }

    /// A new key pair: its recipient and the identity locked under `pass` (kept in memory
    /// unlocked for this page).
    pub fn create_key(pass: &str, created: &str) -> (String, String) {
        let id = Identity::generate();
        let recipient = id.recipient().to_text();
        let locked = seal::lock_identity(&id, pass, created);
        SESSION.with(|s| *s.borrow_mut() = Some(id));
        (recipient, String::from_utf8(locked).expect("armour is ASCII"))
    }
}

#[cfg(not(feature = "seal"))]
mod imp {
    const NO: &str = "此页面不能加密或解密文件（请在“记录”页或“乡镇汇总”中操作）";

    /// Whether this page can seal and open files (built with the feature `seal`).
    pub const AVAILABLE: bool = false;

    /// Stand-in: this page cannot check keys.
    pub fn check_recipient(_text: &str) -> Result<String, String> {
        Err(NO.to_string())
    }

    /// Stand-in: this page cannot seal.
    pub fn seal_text(_plain: &str, _recipient: &str) -> Result<String, String> {
        Err(NO.to_string())
    }

    /// Stand-in: never.
    pub fn has_session_identity() -> bool {
        false
    }

    /// Stand-in: this page cannot open sealed files.
    pub fn open(_bytes: &[u8], _file: &str) -> Result<Vec<u8>, String> {
        Err(crate::core::io::SEALED_MESSAGE.to_string())
    }

    /// Stand-in: this page cannot unlock.
    pub fn unlock(_locked: &str, _pass: &str) -> Result<(), String> {
        Err(NO.to_string())
    }

    /// Stand-in: this page makes no keys.
    pub fn new_device_identity(_created: &str) -> Result<(String, String), String> {
        Err(NO.to_string())
    }

    /// Stand-in: this page holds no keys.
    pub fn hold_device_identity(_file: &str) -> Result<String, String> {
        Err(NO.to_string())
    }

    /// Stand-in: this page cannot seal.
    pub fn seal_to_all(_plain: &str, _recipients: &[String]) -> Result<String, String> {
        Err(NO.to_string())
    }

    /// Stand-in: this page restores no keys.
    pub fn restore_key(_backup: &str, _pass: &str) -> Result<String, String> {
        Err(NO.to_string())
    }

    /// Stand-in: this page makes no keys.
    pub fn create_key(_pass: &str, _created: &str) -> (String, String) {
        (String::new(), String::new())
    }
}

pub use imp::*;
