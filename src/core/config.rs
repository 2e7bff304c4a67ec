//! The township configuration file (乡镇配置, `ruhu.config/1`): what the township office sets
//! once for every phone of the township — its villages, the monitoring line it confirmed per
//! year, its public key for sealed files, whether the app lock is required — made in the
//! office page ([`write_config`]) and imported by each surveyor ([`read_config`]), so that
//! every phone is set the same way.
//!
//! # The format
//!
//! A UTF-8 JSON object; only `format` and `township` are required:
//!
//! ```json
//! {
//!   "format": "ruhu.config/1",
//!   "banner": "莫力达瓦达斡尔族自治旗",
//!   "township": "额尔和乡",
//!   "villages": ["额尔和村", "霍日里村", "西瓦尔图村"],
//!   "policies": [
//!     { "year": 2023, "monitoring_line": "7000", "near_line_factor": "1.2",
//!       "elimination_min_months": 6, "unresolved_flag_months": 12, "confirmed": true,
//!       "source": "额尔和乡乡村振兴办公室 2023-02-10 核对" }
//!   ],
//!   "recipient": "age1…",
//!   "lock_required": true,
//!   "issued_at": "2023-02-10T09:00:00+08:00",
//!   "issued_by": "额尔和乡乡村振兴办公室"
//! }
//! ```
//!
//! - `policies`: the monitoring line per year exactly as a [`Policy`] holds it (a policy file
//!   of `rules.md`, *Policy*, one per year, no year twice), with the same checks (a line
//!   above 0, a near-line factor of at least 1). A line the office has not marked
//!   `confirmed` is read, with the warning `config-policy-unconfirmed`.
//! - `recipient`: the township's age public key ([`crate::seal`]); absent or `null`, files
//!   are not sealed. It is checked (prefix, length, Bech32 characters, and with the `seal`
//!   feature its checksum too).
//! - `lock_required`: the surveyors' app must have its lock on (default `false`).
//! - Minor versions (`ruhu.config/1.1`) are read as version 1; other majors refused. Unknown
//!   keys are kept ([`TownshipConfig::extra`]) and written back, with the warning
//!   `config-unknown-key` (a newer office may have added them).
//!
//! Every diagnostic is a [`ConfigDiagnostic`] `{ code, severity, path, message }` with a
//! stable kebab-case [`ConfigCode`] and a Chinese message; errors refuse the file (all of them
//! are listed at once), warnings come back with the configuration.
//!
//! # Sealed? No
//!
//! The configuration holds **no person's data** (villages, figures, a public key, a flag), so
//! it is never sealed, and a sealed one is refused (`config-sealed`): the surveyors who import
//! it hold only the township's public key, which cannot open anything. What it needs instead
//! is **authenticity**: whoever sends a surveyor a configuration with another `recipient`
//! would receive that surveyor's next sealed exports. age does not sign, and this format
//! carries no signature; so the page that imports it must show what it changes before it is
//! applied ([`TownshipConfig::changes`]: a new public key is shown with its first and last
//! characters to compare with the office by phone), and a changed key deserves a person's
//! explicit yes.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::policy::Policy;

/// The format tag of a township configuration.
pub const CONFIG_FORMAT: &str = "ruhu.config/1";

/// The largest configuration read (a township has tens of villages, not thousands).
pub const MAX_CONFIG_BYTES: usize = 256 * 1024;

/// A township configuration (乡镇配置).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownshipConfig {
    /// Always [`CONFIG_FORMAT`] when written.
    pub format: String,
    /// 旗 (county), optional.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub banner: String,
    /// 乡镇.
    pub township: String,
    /// The township's villages (村), in the office's order.
    #[serde(default)]
    pub villages: Vec<String>,
    /// The monitoring line per year, as the office confirmed it.
    #[serde(default)]
    pub policies: Vec<Policy>,
    /// The township's public key for sealed files (`age1…`); none: files are not sealed.
    #[serde(default)]
    pub recipient: Option<String>,
    /// Whether the surveyors' app must have its lock on.
    #[serde(default)]
    pub lock_required: bool,
    /// When the office made it (RFC 3339), as text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issued_at: String,
    /// Who made it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issued_by: String,
    /// Keys this version does not know, kept and written back.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TownshipConfig {
    /// A configuration of a township with nothing else set.
    pub fn new(township: impl Into<String>) -> TownshipConfig {
        TownshipConfig {
            format: CONFIG_FORMAT.to_string(),
            banner: String::new(),
            township: township.into(),
            villages: Vec::new(),
            policies: Vec::new(),
            recipient: None,
            lock_required: false,
            issued_at: String::new(),
            issued_by: String::new(),
            extra: Map::new(),
        }
    }

    /// The policy of a year, if the office set one.
    pub fn policy(&self, year: i32) -> Option<&Policy> {
        self.policies.iter().find(|p| p.year == year)
    }

    /// What applying `self` on top of `current` changes, one Chinese line each (for the page
    /// that shows them before they are applied); empty when nothing changes.
    pub fn changes(&self, current: &TownshipConfig) -> Vec<String> {
        let mut out = Vec::new();
        if self.township != current.township {
            out.push(format!("乡镇：{} → {}", or_none(&current.township), self.township));
        }
        if self.banner != current.banner && !self.banner.is_empty() {
            out.push(format!("旗：{} → {}", or_none(&current.banner), self.banner));
        }
        let old: BTreeSet<&String> = current.villages.iter().collect();
        let new: BTreeSet<&String> = self.villages.iter().collect();
        let added: Vec<&str> =
            self.villages.iter().filter(|v| !old.contains(v)).map(|v| v.as_str()).collect();
        let removed: Vec<&str> =
            current.villages.iter().filter(|v| !new.contains(v)).map(|v| v.as_str()).collect();
        if !added.is_empty() {
            out.push(format!("增加村：{}", added.join("、")));
        }
        if !removed.is_empty() {
            out.push(format!("去掉村：{}（已有记录不受影响）", removed.join("、")));
        }
        for p in &self.policies {
            match current.policy(p.year) {
                Some(q) if q == p => {}
                Some(q) => out.push(format!(
                    "{} 年监测标准：{} 元 → {} 元{}",
                    p.year,
                    q.monitoring_line.normalize(),
                    p.monitoring_line.normalize(),
                    if p.confirmed { "（乡镇已核对）" } else { "（未经核对）" }
                )),
                None => out.push(format!(
                    "{} 年监测标准：{} 元{}",
                    p.year,
                    p.monitoring_line.normalize(),
                    if p.confirmed { "（乡镇已核对）" } else { "（未经核对）" }
                )),
            }
        }
        if self.recipient != current.recipient {
            out.push(match (&current.recipient, &self.recipient) {
                (_, None) => "乡镇公钥：去掉（导出的文件将不再加密）".to_string(),
                (None, Some(r)) => {
                    format!("乡镇公钥：设为 {}（此后导出的文件都加密）", short_key(r))
                }
                (Some(a), Some(b)) => format!(
                    "乡镇公钥：{} → {}（公钥变了：请先打电话向乡镇核实）",
                    short_key(a),
                    short_key(b)
                ),
            });
        }
        if self.lock_required != current.lock_required {
            out.push(if self.lock_required {
                "应用锁：必须开启".to_string()
            } else {
                "应用锁：不再强制".to_string()
            });
        }
        out
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "（未设）"
    } else {
        s
    }
}

/// A key as people compare it: `age1qyqs…k4gupd` (the first 10 and last 6 characters).
pub fn short_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 18 {
        return key.to_string();
    }
    let head: String = chars[..10].iter().collect();
    let tail: String = chars[chars.len() - 6..].iter().collect();
    format!("{head}…{tail}")
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigSeverity {
    /// The file is refused.
    Error,
    /// Read, and said.
    Warning,
}

/// The stable codes of a configuration's diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConfigCode {
    /// Not readable as a configuration: too large, not UTF-8, not JSON, not an object.
    ConfigUnreadable,
    /// A sealed file (a configuration is never sealed).
    ConfigSealed,
    /// `format` missing, of another kind, or another major version.
    ConfigFormat,
    /// A key of the wrong type.
    ConfigType,
    /// `township` missing or empty.
    ConfigTownshipMissing,
    /// An empty village name.
    ConfigVillageEmpty,
    /// A village listed twice (read once).
    ConfigVillageDuplicate,
    /// A policy's line or factor out of range.
    ConfigPolicyInvalid,
    /// Two policies of one year.
    ConfigPolicyYearDuplicate,
    /// A policy the office did not mark confirmed.
    ConfigPolicyUnconfirmed,
    /// `recipient` is not an age public key.
    ConfigRecipientInvalid,
    /// A key this version does not know (kept).
    ConfigUnknownKey,
}

impl ConfigCode {
    /// The code as written, `config-policy-invalid`.
    pub fn code(self) -> &'static str {
        match self {
            ConfigCode::ConfigUnreadable => "config-unreadable",
            ConfigCode::ConfigSealed => "config-sealed",
            ConfigCode::ConfigFormat => "config-format",
            ConfigCode::ConfigType => "config-type",
            ConfigCode::ConfigTownshipMissing => "config-township-missing",
            ConfigCode::ConfigVillageEmpty => "config-village-empty",
            ConfigCode::ConfigVillageDuplicate => "config-village-duplicate",
            ConfigCode::ConfigPolicyInvalid => "config-policy-invalid",
            ConfigCode::ConfigPolicyYearDuplicate => "config-policy-year-duplicate",
            ConfigCode::ConfigPolicyUnconfirmed => "config-policy-unconfirmed",
            ConfigCode::ConfigRecipientInvalid => "config-recipient-invalid",
            ConfigCode::ConfigUnknownKey => "config-unknown-key",
        }
    }
}

/// One finding about a configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigDiagnostic {
    pub code: ConfigCode,
    pub severity: ConfigSeverity,
    /// The JSON path it is about (`policies[1].monitoring_line`; empty: the whole file).
    pub path: String,
    /// For people, in Chinese.
    pub message: String,
}

impl std::fmt::Display for ConfigDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "[{}] {}", self.code.code(), self.message)
        } else {
            write!(f, "[{}] {}: {}", self.code.code(), self.path, self.message)
        }
    }
}

fn diag(code: ConfigCode, path: impl Into<String>, message: impl Into<String>) -> ConfigDiagnostic {
    let severity = match code {
        ConfigCode::ConfigVillageDuplicate
        | ConfigCode::ConfigPolicyUnconfirmed
        | ConfigCode::ConfigUnknownKey => ConfigSeverity::Warning,
        _ => ConfigSeverity::Error,
    };
    ConfigDiagnostic { code, severity, path: path.into(), message: message.into() }
}

/// A configuration as read, with its warnings.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigRead {
    pub config: TownshipConfig,
    pub warnings: Vec<ConfigDiagnostic>,
}

/// The keys of `ruhu.config/1`.
const KEYS: &[&str] = &[
    "format",
    "banner",
    "township",
    "villages",
    "policies",
    "recipient",
    "lock_required",
    "issued_at",
    "issued_by",
];

/// Reads a township configuration. Errors (all of them) refuse the file; warnings come with
/// the configuration. Village names are trimmed and a repeated one read once.
pub fn read_config(bytes: &[u8]) -> Result<ConfigRead, Vec<ConfigDiagnostic>> {
    use ConfigCode::*;
    let one = |code, path: &str, m: String| Err(vec![diag(code, path, m)]);
    if bytes.len() > MAX_CONFIG_BYTES {
        return one(
            ConfigUnreadable,
            "",
            format!("文件过大（{} KB），不是乡镇配置", bytes.len() / 1024),
        );
    }
    if crate::io::is_sealed(bytes) {
        return one(
            ConfigSealed,
            "",
            "这是加密文件；乡镇配置不含个人信息，不加密（排查人员手里只有公钥，打不开加密文件），请让乡镇重新导出未加密的配置".into(),
        );
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = match crate::io::parse(bytes) {
        Ok(v) => v,
        Err(e) => return one(ConfigUnreadable, &e.path, e.message),
    };
    let Value::Object(obj) = &value else {
        return one(ConfigUnreadable, "", "不是乡镇配置：内容应为一个对象（{…}）".into());
    };
    match obj.get("format") {
        None => {
            return one(
                ConfigFormat,
                "format",
                format!("缺少 format 键，不是乡镇配置（应为 \"{CONFIG_FORMAT}\"）"),
            )
        }
        Some(Value::String(tag)) => {
            let (name, version) = tag.split_once('/').unwrap_or((tag, ""));
            let mut parts = version.split('.');
            let major_ok = parts.next() == Some("1")
                && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            if name != "ruhu.config" {
                return one(
                    ConfigFormat,
                    "format",
                    format!("这是 \"{tag}\"，不是乡镇配置（{CONFIG_FORMAT}）"),
                );
            }
            if !major_ok {
                return one(
                    ConfigFormat,
                    "format",
                    format!("不支持的格式版本 \"{tag}\"（本程序支持 {CONFIG_FORMAT}）"),
                );
            }
        }
        Some(_) => return one(ConfigFormat, "format", format!("应为字符串 \"{CONFIG_FORMAT}\"")),
    }
    let mut config: TownshipConfig = match crate::io::parse(bytes) {
        Ok(c) => c,
        Err(e) => return one(ConfigType, &e.path, e.message),
    };
    config.format = CONFIG_FORMAT.to_string();

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    config.township = config.township.trim().to_string();
    if config.township.is_empty() {
        errors.push(diag(ConfigTownshipMissing, "township", "乡镇名称为空"));
    }
    let mut seen = BTreeSet::new();
    let mut villages = Vec::new();
    for (i, v) in config.villages.iter().enumerate() {
        let v = v.trim();
        if v.is_empty() {
            errors.push(diag(ConfigVillageEmpty, format!("villages[{i}]"), "村名为空"));
        } else if !seen.insert(v.to_string()) {
            warnings.push(diag(
                ConfigVillageDuplicate,
                format!("villages[{i}]"),
                format!("村“{v}”重复，只保留一个"),
            ));
        } else {
            villages.push(v.to_string());
        }
    }
    config.villages = villages;
    let mut years = BTreeSet::new();
    for (i, p) in config.policies.iter().enumerate() {
        let path = format!("policies[{i}]");
        if p.monitoring_line <= rust_decimal::Decimal::ZERO {
            errors.push(diag(
                ConfigPolicyInvalid,
                format!("{path}.monitoring_line"),
                "监测标准必须大于 0",
            ));
        }
        if p.near_line_factor < rust_decimal::Decimal::ONE {
            errors.push(diag(
                ConfigPolicyInvalid,
                format!("{path}.near_line_factor"),
                "预警系数不能小于 1",
            ));
        }
        if !years.insert(p.year) {
            errors.push(diag(
                ConfigPolicyYearDuplicate,
                format!("{path}.year"),
                format!("{} 年的监测标准出现了两次", p.year),
            ));
        }
        if !p.confirmed {
            warnings.push(diag(
                ConfigPolicyUnconfirmed,
                format!("{path}.confirmed"),
                format!("{} 年的监测标准未标明乡镇已核对，导入后仍显示“未经核对”", p.year),
            ));
        }
    }
    if let Some(r) = &config.recipient {
        let r = r.trim().to_string();
        if let Err(why) = check_recipient(&r) {
            errors.push(diag(ConfigRecipientInvalid, "recipient", why));
        }
        config.recipient = Some(r);
    }
    for key in config.extra.keys() {
        if !KEYS.contains(&key.as_str()) {
            warnings.push(diag(
                ConfigUnknownKey,
                key.clone(),
                format!("未知的键 \"{key}\"（可能来自更新的版本），已保留"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(ConfigRead { config, warnings })
    } else {
        Err(errors)
    }
}

/// The recipient's check: with the `seal` feature age's own parse (checksum included), else
/// the shape of an `age1…` key (prefix, 62 characters, the Bech32 alphabet).
fn check_recipient(r: &str) -> Result<(), String> {
    #[cfg(feature = "seal")]
    {
        crate::seal::parse_recipient(r).map(|_| ()).map_err(|e| e.to_string())
    }
    #[cfg(not(feature = "seal"))]
    {
        const BECH32: &str = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        let ok =
            r.len() == 62 && r.starts_with("age1") && r[4..].chars().all(|c| BECH32.contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!(
                "一个无效的乡镇公钥: 应为以 age1 开头的 62 个字符（现为“{}”）",
                short_key(r)
            ))
        }
    }
}

/// Writes a configuration: pretty JSON with a final newline, `format` set, unknown keys
/// kept. [`read_config`] reads it back to the same value.
pub fn write_config(config: &TownshipConfig) -> String {
    let mut c = config.clone();
    c.format = CONFIG_FORMAT.to_string();
    crate::json::to_string_pretty(&c)
}

#[cfg(test)]
mod tests;
