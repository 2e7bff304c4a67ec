//! Evidence (佐证材料) and signatures: the record's `attachments` (issue 15).
//!
//! # Where the bytes live
//!
//! - **Photos** are stored outside the record: in the app's store a photo attachment keeps
//!   its metadata (`id, kind, caption, mime, sha256, bytes, width, height, taken_at, path,
//!   member`) with `data: ""`, and its bytes are a Blob beside it (IndexedDB store
//!   `attachments`). Typing in a record with 50 photos never copies their bytes.
//! - **Signatures** are small SVG text (`image/svg+xml`, vector paths from
//!   [`signature_svg`]: a few KB, sharp in print), kept inline in the record as `data` =
//!   base64 of the SVG, as the format says.
//! - **In an exported file** (`ruhu.export/1`) every attachment's `data` is filled with the
//!   base64 of its bytes ([`crate::io::write::write_batch_with_attachments`], the page passes
//!   the bytes). Why base64 inside the JSON rather than a zip container: the export stays one
//!   text file, which age seals as it is, and which the existing importer and the CLI read
//!   without a second format; the cost is a third more bytes (+33 %) for the photos. The
//!   importer ([`crate::io::read_export`]) checks every attachment ([`check_attachments`]:
//!   base64, `sha256` = hex SHA-256 of the decoded bytes, size) and refuses the whole file,
//!   naming the household and the attachment, on any error, so nothing is stored; the page
//!   then takes the photos' bytes out ([`take_photo_bytes`]) to store them as Blobs again.
//! - **Sharing**: Chromium's Web Share refuses files over 50 MB, so an export larger than
//!   [`SHARE_LIMIT_BYTES`] (45 MiB) is split into several `ruhu.export/1` files of whole
//!   households ([`split_for_share`]), named `…-35户-第1份共3份.json`; one household larger
//!   than the limit goes alone in its file and is reported (`SharePart::over_limit`). Files
//!   sealed before sharing are split at [`SEALED_SHARE_LIMIT_BYTES`] (33 MiB of JSON: age's
//!   armour adds a third), see [`share_limit`].
//!
//! # What a signature vouches for
//!
//! A signature attachment carries `signed_digest`, the [`content_digest`] of the record when
//! it was signed. The digest is the hex SHA-256 of the record's compact JSON as the core
//! writes it, keys in the record's order, **without**:
//!
//! - the signatures themselves (every attachment of kind `signature`), so that a second
//!   signer does not void the first signature;
//! - `computed` (recomputed by every reader), `lineage`, `revision` and `updated_at` (the
//!   bookkeeping of saves: saving the same answers again is no change);
//! - `status`: signing comes before 定稿, and marking the record final is no change to what
//!   was signed;
//! - a photo's `data`: it is empty in the store and filled in a file; its `sha256` (kept)
//!   names the same bytes.
//!
//! Everything else counts: every answer, unknown keys, and the photos' metadata. **A photo
//! added, removed, replaced or re-captioned after signing is a change** (签字后有修改): the
//! signers vouch for the 档案 as they saw it, and its 佐证材料 are part of it. The `format`
//! tag is written as `ruhu.household/1` whatever minor version was read.
//! [`signature_states`] compares each signature's `signed_digest` with the record's digest
//! now; a signature without a digest (written by another program) cannot be shown to be
//! current and counts as changed.
//!
//! # Diagnostics
//!
//! [`check_attachments`] returns [`Diagnostic`]s `{ code, severity, path, message }` with a
//! kebab-case [`AttachmentCode`] and a one-sentence Chinese message naming the household (户主)
//! and the attachment (its caption, or the signer): errors (`attachment-data-invalid`,
//! `attachment-sha256-mismatch`, `attachment-too-large`) refuse a file; warnings
//! (`attachment-data-missing`, `attachment-sha256-missing`, `attachment-bytes-mismatch`,
//! `attachment-mime-unexpected`) are reported and the file is read.

use std::fmt::Write as _;

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::codes;
use crate::evaluation::Severity;
use crate::record::{
    Attachment, AttachmentKind, Household, SignRole, Status, Timestamp, HOUSEHOLD_FORMAT,
};

pub use crate::io::write::{split_for_share, SharePart, SplitExport};

/// The size a plain export file shared at once stays under: 45 MiB (47.2 MB), below
/// Chromium's 50 MB Web Share limit with some room.
pub const SHARE_LIMIT_BYTES: usize = 45 * 1024 * 1024;

/// The plain size of a file that is sealed before it is shared: age's ASCII armour is
/// base64 in 64-character lines (× 4/3 × 65/64), so 33 MiB of JSON seal to about 44.7 MiB,
/// under [`SHARE_LIMIT_BYTES`].
pub const SEALED_SHARE_LIMIT_BYTES: usize = 33 * 1024 * 1024;

/// The limit to pass to [`split_for_share`]: [`SEALED_SHARE_LIMIT_BYTES`] when the parts will
/// be sealed (a township key is set), else [`SHARE_LIMIT_BYTES`].
pub fn share_limit(sealed: bool) -> usize {
    if sealed {
        SEALED_SHARE_LIMIT_BYTES
    } else {
        SHARE_LIMIT_BYTES
    }
}

/// The largest photo accepted (decoded bytes): the app stores ≤ 400 KB; 8 MiB leaves room
/// for another program's photos and refuses what would exhaust a phone.
pub const MAX_PHOTO_BYTES: u64 = 8 * 1024 * 1024;

/// The largest signature accepted (decoded SVG bytes): ours are a few KB.
pub const MAX_SIGNATURE_BYTES: u64 = 256 * 1024;

/// The `mime` of a signature.
pub const SIGNATURE_MIME: &str = "image/svg+xml";

/// The `path` of a signature attachment.
pub const SIGNATURES_PATH: &str = "signatures";

/// Hex (lowercase) SHA-256 of `bytes`: an attachment's `sha256`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Standard base64 with padding (an attachment's `data`).
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The bytes of standard base64 with padding; `None` if it is not exactly that (another
/// alphabet, spaces or line breaks, bad padding, stray bits).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The hex SHA-256 of what a signature vouches for (module docs, *What a signature vouches
/// for*): the record without its signatures, `computed`, `lineage`, `revision`,
/// `updated_at`, `status` and the photos' `data`.
pub fn content_digest(h: &Household) -> String {
    let attachments = h
        .attachments
        .iter()
        .filter(|a| a.kind != Some(AttachmentKind::Signature))
        .map(without_data)
        .collect();
    let bare = Household {
        format: HOUSEHOLD_FORMAT.to_string(),
        revision: 0,
        status: Status::Draft,
        updated_at: Timestamp::default(),
        lineage: None,
        computed: None,
        attachments,
        ..without_attachments(h)
    };
    sha256_hex(&crate::json::to_vec(&bare))
}

/// A copy of the record without its attachments, `lineage` and `computed` (not cloning the
/// attachments' bytes). Destructured, so that a field added to `Household` is decided here.
fn without_attachments(h: &Household) -> Household {
    let Household {
        format,
        id,
        household_id,
        revision,
        status,
        created_at,
        updated_at,
        visit,
        address,
        category,
        resettlement_site,
        phone,
        monitoring,
        members,
        income,
        guarantees,
        judgement,
        risk,
        measures,
        elimination,
        attachments: _,
        previous_id,
        lineage: _,
        computed: _,
        extra,
    } = h;
    Household {
        format: format.clone(),
        id: *id,
        household_id: *household_id,
        revision: *revision,
        status: *status,
        created_at: *created_at,
        updated_at: *updated_at,
        visit: visit.clone(),
        address: address.clone(),
        category: *category,
        resettlement_site: *resettlement_site,
        phone: phone.clone(),
        monitoring: monitoring.clone(),
        members: members.clone(),
        income: income.clone(),
        guarantees: guarantees.clone(),
        judgement: judgement.clone(),
        risk: risk.clone(),
        measures: measures.clone(),
        elimination: elimination.clone(),
        attachments: Vec::new(),
        previous_id: *previous_id,
        lineage: None,
        computed: None,
        extra: extra.clone(),
    }
}

/// A copy of an attachment's metadata, `data` empty (not cloning the bytes).
fn without_data(a: &Attachment) -> Attachment {
    Attachment {
        id: a.id,
        kind: a.kind,
        caption: a.caption.clone(),
        mime: a.mime.clone(),
        sha256: a.sha256.clone(),
        data: String::new(),
        bytes: a.bytes,
        width: a.width,
        height: a.height,
        taken_at: a.taken_at.clone(),
        path: a.path.clone(),
        member: a.member,
        role: a.role,
        signer: a.signer.clone(),
        signed_digest: a.signed_digest.clone(),
        extra: a.extra.clone(),
    }
}

/// Whether a signature still vouches for the record as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureState {
    /// Signed on this content.
    Current,
    /// The record changed after it was signed (or the signature carries no digest).
    ChangedAfterSigning,
}

impl SignatureState {
    /// The mark shown beside a signature: `""` or `签字后有修改`.
    pub fn label(self) -> &'static str {
        match self {
            SignatureState::Current => "",
            SignatureState::ChangedAfterSigning => "签字后有修改",
        }
    }
}

/// The state of every signature of the record (attachments of kind `signature`), in the
/// record's order: current when its `signed_digest` is the record's [`content_digest`] now.
pub fn signature_states(h: &Household) -> Vec<(Uuid, SignatureState)> {
    let mut digest = None;
    h.attachments
        .iter()
        .filter(|a| a.kind == Some(AttachmentKind::Signature))
        .map(|a| {
            let now = digest.get_or_insert_with(|| content_digest(h));
            let state = if !a.signed_digest.is_empty() && a.signed_digest == *now {
                SignatureState::Current
            } else {
                SignatureState::ChangedAfterSigning
            };
            (a.id, state)
        })
        .collect()
}

/// One stroke of the pen on the signature pad: its points in pad pixels, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stroke {
    pub points: Vec<(f32, f32)>,
}

/// The stroke width of a signature, in pad pixels.
pub const SIGNATURE_STROKE_WIDTH: f32 = 2.5;

/// The SVG of a signature drawn on a `width` × `height` pad: one `<path>`, a subpath per
/// stroke, smoothed by quadratic Béziers through the midpoints of successive points (each
/// point is the control point between the midpoints around it), coordinates rounded to whole
/// pad pixels and clamped to the pad, repeated points dropped; `viewBox="0 0 width height"`,
/// round caps and joins, no fill. A single point is a dot (a zero-length line with round
/// caps). Points that are not finite are skipped. A few KB for a name (300 points < 6 KB).
pub fn signature_svg(strokes: &[Stroke], width: u32, height: u32) -> String {
    let (w, h) = (width.max(1), height.max(1));
    let mut d = String::new();
    for stroke in strokes {
        let pts = stroke_points(&stroke.points, w as f32, h as f32);
        if pts.is_empty() {
            continue;
        }
        let r = |v: f32| v.round() as i32;
        let (x0, y0) = pts[0];
        let _ = write!(d, "M{} {}", r(x0), r(y0));
        match pts.len() {
            1 => d.push_str("l0 0"),
            2 => {
                let _ = write!(d, "L{} {}", r(pts[1].0), r(pts[1].1));
            }
            n => {
                let mid = |a: (f32, f32), b: (f32, f32)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
                let m = mid(pts[0], pts[1]);
                let _ = write!(d, "L{} {}Q", r(m.0), r(m.1));
                for i in 1..n - 1 {
                    let m = mid(pts[i], pts[i + 1]);
                    if i > 1 {
                        d.push(' ');
                    }
                    let _ = write!(d, "{} {} {} {}", r(pts[i].0), r(pts[i].1), r(m.0), r(m.1));
                }
                let (xl, yl) = pts[n - 1];
                let _ = write!(d, "L{} {}", r(xl), r(yl));
            }
        }
    }
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">"
    );
    if !d.is_empty() {
        let _ = write!(
            svg,
            "<path d=\"{d}\" fill=\"none\" stroke=\"#000\" stroke-width=\"{SIGNATURE_STROKE_WIDTH}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A stroke's points clamped to the pad, without non-finite points or points that round to
/// the previous one.
fn stroke_points(points: &[(f32, f32)], w: f32, h: f32) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::with_capacity(points.len());
    for &(x, y) in points {
        if !x.is_finite() || !y.is_finite() {
            continue;
        }
        let p = (x.clamp(0.0, w), y.clamp(0.0, h));
        if let Some(&(px, py)) = out.last() {
            if px.round() == p.0.round() && py.round() == p.1.round() {
                continue;
            }
        }
        out.push(p);
    }
    out
}

/// A new signature attachment for `h`: `data` the base64 of `svg` (from [`signature_svg`]),
/// `sha256` and `bytes` of the SVG, `signed_digest` = [`content_digest`]`(h)`, `path`
/// `signatures`, caption `风险研判人 李明 签名`. The caller pushes it into `h.attachments`
/// (that does not change the digest: signatures are not part of it).
pub fn new_signature(
    id: Uuid,
    role: SignRole,
    signer: &str,
    svg: &str,
    h: &Household,
    taken_at: Option<String>,
) -> Attachment {
    let signer = signer.trim();
    Attachment {
        id,
        kind: Some(AttachmentKind::Signature),
        caption: format!("{} {} 签名", role.label(), signer).replace("  ", " "),
        mime: SIGNATURE_MIME.to_string(),
        sha256: sha256_hex(svg.as_bytes()),
        data: base64_encode(svg.as_bytes()),
        bytes: Some(svg.len() as u64),
        taken_at,
        path: SIGNATURES_PATH.to_string(),
        role: Some(role),
        signer: signer.to_string(),
        signed_digest: content_digest(h),
        ..Attachment::default()
    }
}

/// A new photo attachment as the store keeps it: `data` empty (the bytes go to the store
/// beside the record), `sha256` and `bytes` of `bytes`, the given `mime` (`image/jpeg`).
#[allow(clippy::too_many_arguments)]
pub fn new_photo(
    id: Uuid,
    caption: &str,
    path: &str,
    member: Option<Uuid>,
    mime: &str,
    bytes: &[u8],
    size: Option<(u32, u32)>,
    taken_at: Option<String>,
) -> Attachment {
    Attachment {
        id,
        kind: Some(AttachmentKind::Photo),
        caption: caption.trim().to_string(),
        mime: mime.to_string(),
        sha256: sha256_hex(bytes),
        bytes: Some(bytes.len() as u64),
        width: size.map(|s| s.0),
        height: size.map(|s| s.1),
        taken_at,
        path: path.trim().to_string(),
        member,
        ..Attachment::default()
    }
}

/// The SVG text of a signature attachment (its `data` decoded), if it is one and reads.
pub fn signature_text(a: &Attachment) -> Option<String> {
    if a.kind != Some(AttachmentKind::Signature) {
        return None;
    }
    String::from_utf8(base64_decode(&a.data)?).ok()
}

/// Takes the photos' bytes out of a record read from a file: each photo with a `data` that
/// decodes is emptied (as the store keeps it) and its bytes returned with its id, in the
/// record's order; signatures keep their `data`. The file was checked on reading
/// ([`crate::io::read_export`]); a `data` that does not decode is left as it is.
pub fn take_photo_bytes(h: &mut Household) -> Vec<(Uuid, Vec<u8>)> {
    let mut out = Vec::new();
    for a in &mut h.attachments {
        if a.kind == Some(AttachmentKind::Signature) || a.data.is_empty() {
            continue;
        }
        if let Some(bytes) = base64_decode(&a.data) {
            a.data.clear();
            out.push((a.id, bytes));
        }
    }
    out
}

/// A household's 佐证材料 in short, for ledgers and lists: the photos' captions and the
/// signatures with their state ([`evidence_summary`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EvidenceSummary {
    /// Each photo's caption (`未写说明` when it has none), in the record's order.
    pub photos: Vec<String>,
    /// Each signature: `本户排查人孟庆春`, and whether it still vouches for the record.
    pub signatures: Vec<(String, SignatureState)>,
}

impl EvidenceSummary {
    /// `照片2张：残疾人证、危房正面；签名2个：本户排查人孟庆春、风险研判人李明（1个签字后有修改）`,
    /// or `无`.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        if !self.photos.is_empty() {
            parts.push(format!("照片{}张：{}", self.photos.len(), self.photos.join("、")));
        }
        if !self.signatures.is_empty() {
            let names: Vec<&str> = self.signatures.iter().map(|(n, _)| n.as_str()).collect();
            let changed = self.changed();
            let mut s = format!("签名{}个：{}", names.len(), names.join("、"));
            if changed > 0 {
                s.push_str(&format!("（{changed}个签字后有修改）"));
            }
            parts.push(s);
        }
        if parts.is_empty() {
            "无".to_string()
        } else {
            parts.join("；")
        }
    }

    /// How many signatures were made before a later change.
    pub fn changed(&self) -> usize {
        self.signatures.iter().filter(|(_, s)| *s == SignatureState::ChangedAfterSigning).count()
    }
}

/// The record's 佐证材料 in short ([`EvidenceSummary`]).
pub fn evidence_summary(h: &Household) -> EvidenceSummary {
    let states = signature_states(h);
    let mut out = EvidenceSummary::default();
    for a in &h.attachments {
        match a.kind {
            Some(AttachmentKind::Signature) => {
                let state = states
                    .iter()
                    .find(|(id, _)| *id == a.id)
                    .map_or(SignatureState::ChangedAfterSigning, |s| s.1);
                let role = a.role.map(SignRole::label).unwrap_or("签名人");
                out.signatures.push((format!("{role}{}", a.signer), state));
            }
            _ => out.photos.push(if a.caption.is_empty() {
                "未写说明".to_string()
            } else {
                a.caption.clone()
            }),
        }
    }
    out
}

codes! {
    /// The code of an attachment diagnostic (written as kebab-case).
    pub enum AttachmentCode {
        /// `data` is not standard base64 (error).
        DataInvalid = "attachment-data-invalid": "内容不是有效的 base64",
        /// The decoded bytes do not have the `sha256` written beside them (error).
        Sha256Mismatch = "attachment-sha256-mismatch": "内容与 sha256 不符",
        /// Larger than [`MAX_PHOTO_BYTES`] or [`MAX_SIGNATURE_BYTES`] (error).
        TooLarge = "attachment-too-large": "文件过大",
        /// No `data`: the bytes did not travel with the record (warning).
        DataMissing = "attachment-data-missing": "缺少内容",
        /// No `sha256` to check the bytes against (warning).
        Sha256Missing = "attachment-sha256-missing": "缺少 sha256",
        /// `bytes` is not the length of the decoded bytes (warning).
        BytesMismatch = "attachment-bytes-mismatch": "字节数不符",
        /// A photo whose `mime` is not an image, or a signature that is not SVG (warning).
        MimeUnexpected = "attachment-mime-unexpected": "类型不符",
    }
}

impl AttachmentCode {
    /// Errors refuse a file; warnings are reported.
    pub fn severity(self) -> Severity {
        match self {
            AttachmentCode::DataInvalid
            | AttachmentCode::Sha256Mismatch
            | AttachmentCode::TooLarge => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// One finding about an attachment: its code, severity, JSON path within the record
/// (`attachments[2].sha256`), the attachment's id and a Chinese sentence naming the
/// household and the attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: AttachmentCode,
    pub severity: Severity,
    pub path: String,
    pub attachment: Uuid,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.code.code(), self.path, self.message)
    }
}

/// How a household is named in a message: `张伟户`, or `记录 1a2b3c4d` without a head's name.
pub fn household_label(h: &Household) -> String {
    let head = h.head_name().trim();
    if head.is_empty() {
        format!("记录 {}", &h.id.simple().to_string()[..8])
    } else {
        format!("{head}户")
    }
}

/// How an attachment is named in a message: `照片“危房正面”`, `风险研判人李明的签名`.
pub fn attachment_label(a: &Attachment) -> String {
    match a.kind {
        Some(AttachmentKind::Signature) => {
            let role = a.role.map(SignRole::label).unwrap_or("");
            if a.signer.is_empty() && role.is_empty() {
                "一个签名".to_string()
            } else {
                format!("{role}{}的签名", a.signer)
            }
        }
        _ if a.caption.is_empty() => "一张未写说明的照片".to_string(),
        _ => format!("照片“{}”", a.caption),
    }
}

/// Checks every attachment of a record as it travels in a file: `data` present, standard
/// base64, not too large, its SHA-256 the `sha256` written beside it, `bytes` its length,
/// the `mime` of its kind. (In the app's store a photo's `data` is empty by design: this is
/// for files, the importer's and the CLI's check.)
pub fn check_attachments(h: &Household) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut who = None;
    for (i, a) in h.attachments.iter().enumerate() {
        let mut push = |code: AttachmentCode, key: &str, what: String| {
            let household = who.get_or_insert_with(|| household_label(h));
            let path = if key.is_empty() {
                format!("attachments[{i}]")
            } else {
                format!("attachments[{i}].{key}")
            };
            out.push(Diagnostic {
                code,
                severity: code.severity(),
                path,
                attachment: a.id,
                message: format!("{household}的{}{what}。", attachment_label(a)),
            });
        };
        let signature = a.kind == Some(AttachmentKind::Signature);
        let limit = if signature { MAX_SIGNATURE_BYTES } else { MAX_PHOTO_BYTES };
        if signature && !a.mime.is_empty() && a.mime != SIGNATURE_MIME {
            push(
                AttachmentCode::MimeUnexpected,
                "mime",
                format!("类型是 {}，签名应为 {SIGNATURE_MIME}", a.mime),
            );
        } else if !signature && !a.mime.is_empty() && !a.mime.starts_with("image/") {
            push(AttachmentCode::MimeUnexpected, "mime", format!("类型是 {}，不是图片", a.mime));
        }
        if a.data.is_empty() {
            push(AttachmentCode::DataMissing, "data", "没有随文件带来内容（只有说明）".into());
            continue;
        }
        // The decoded length, from the text's length, before decoding anything large.
        let approx = (a.data.len() as u64 / 4) * 3;
        if approx > limit + 2 {
            push(
                AttachmentCode::TooLarge,
                "data",
                format!("约 {}，超过 {} 的上限", size_text(approx), size_text(limit)),
            );
            continue;
        }
        let Some(bytes) = base64_decode(&a.data) else {
            push(
                AttachmentCode::DataInvalid,
                "data",
                "内容不是有效的 base64，文件可能已损坏".into(),
            );
            continue;
        };
        if bytes.len() as u64 > limit {
            push(
                AttachmentCode::TooLarge,
                "data",
                format!("有 {}，超过 {} 的上限", size_text(bytes.len() as u64), size_text(limit)),
            );
            continue;
        }
        if a.sha256.is_empty() {
            push(AttachmentCode::Sha256Missing, "sha256", "没有 sha256，无法核对内容".into());
        } else if !a.sha256.eq_ignore_ascii_case(&sha256_hex(&bytes)) {
            push(
                AttachmentCode::Sha256Mismatch,
                "sha256",
                "内容与其 sha256 不符，文件可能已损坏或被改动".into(),
            );
            // Other bytes than those described: their length says nothing more.
            continue;
        }
        if let Some(n) = a.bytes {
            if n != bytes.len() as u64 {
                push(
                    AttachmentCode::BytesMismatch,
                    "bytes",
                    format!("记载为 {n} 字节，实际为 {} 字节", bytes.len()),
                );
            }
        }
    }
    out
}

/// `1.2 MB`, `350 KB`, `900 字节`.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} 字节")
    }
}

#[cfg(test)]
mod tests;
