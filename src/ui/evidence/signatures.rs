//! 签字: the signature lines of the household form — 本户排查人, each 风险研判人 (at least two
//! lines, as on the paper form) and, optionally, 户主 — and what the print shows on them.
//!
//! The names come from the record (一、基本信息: `visit.surveyor`, `visit.assessors`; the head
//! is the member whose relation is 户主). Each line shows the name and either the signature
//! (the stored SVG as an `<img>` of a `data:image/svg+xml;base64,…` URL, which the pages'
//! CSP allows in `img-src`) with 重新签字 / 删除, or a 签字 button that opens the
//! [`SignaturePad`] under the lines. A line without a name cannot be signed (the name is
//! typed first, in 一). A signature whose signer is no longer among the 研判人 stays listed
//! (签名人已不在研判人名单中) until it is deleted, so that nothing signed disappears unseen.
//!
//! **签字后有修改.** `ruhu_core::evidence::signature_states` compares each signature's
//! `signed_digest` with the record's content digest of now; a signature made before a later
//! change is marked 签字后有修改 on its line (and in the print), and signing again clears it.
//! The digest is computed only when the record has a signature, so a record without one pays
//! nothing per keystroke; with three signatures on a 30-member record a keystroke costs about
//! 1 ms more script (`tests/bench/README.md`, *Signatures*).
//!
//! **Where it is.** The section comes after the form's sections and outside their read-only
//! fieldset: a final record (read-only until 修改) can still be signed — signing is what
//! happens after 完成 — and the signatures are not part of what they vouch for. It is disabled
//! only while another window edits the record. It is mounted by the form only (the full app's
//! bundle); the start page's bundle has none of it.
//!
//! [`lines`] is the one description of the lines, used by the form and by the print
//! (`ui/print/signatures.rs`).

use leptos::prelude::*;
use uuid::Uuid;

use super::signature_pad::SignaturePad;
use crate::core::evidence::{signature_states, SignatureState};
use crate::core::record::{Attachment, AttachmentKind, Household, SignRole};
use crate::ui::editor::{Editing, Writable};
use crate::ui::form::snackbar::Snackbar;

/// A signature on a line.
#[derive(Clone, Debug, PartialEq)]
pub struct Signed {
    pub id: Uuid,
    /// The image's `data:` URL; `None` when the stored data is not an SVG in base64.
    pub src: Option<String>,
    pub signer: String,
    /// Made before a later change of the record (签字后有修改).
    pub stale: bool,
}

/// One signature line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub role: SignRole,
    /// The name the record gives the line (empty: not filled in yet).
    pub name: String,
    pub signed: Option<Signed>,
    /// A 研判人's signature whose signer is no longer among the record's 研判人.
    pub orphan: bool,
}

/// The `data:` URL of a signature attachment, when it is an SVG in base64.
pub fn image_src(a: &Attachment) -> Option<String> {
    let base64 = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
    (a.mime == "image/svg+xml" && !a.data.is_empty() && a.data.bytes().all(base64))
        .then(|| format!("data:image/svg+xml;base64,{}", a.data))
}

/// The signature lines of a record: 本户排查人, each 研判人 (blank lines up to two), the
/// signatures of people no longer listed as 研判人, and 户主.
pub fn lines(h: &Household) -> Vec<Line> {
    let signatures: Vec<&Attachment> =
        h.attachments.iter().filter(|a| a.kind == Some(AttachmentKind::Signature)).collect();
    let states = if signatures.is_empty() { Vec::new() } else { signature_states(h) };
    let signed = |a: &Attachment| Signed {
        id: a.id,
        src: image_src(a),
        signer: a.signer.clone(),
        stale: states
            .iter()
            .any(|(id, s)| *id == a.id && *s == SignatureState::ChangedAfterSigning),
    };
    let of = |role: SignRole, name: Option<&str>| {
        signatures
            .iter()
            .find(|a| a.role == Some(role) && name.is_none_or(|n| a.signer.trim() == n))
            .map(|a| signed(a))
    };
    let mut out = Vec::new();
    let surveyor = h.visit.surveyor.trim();
    out.push(Line {
        role: SignRole::Surveyor,
        name: surveyor.to_string(),
        signed: of(SignRole::Surveyor, None),
        orphan: false,
    });
    let mut names: Vec<&str> = Vec::new();
    for n in h.visit.assessors.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    for n in &names {
        out.push(Line {
            role: SignRole::Assessor,
            name: n.to_string(),
            signed: of(SignRole::Assessor, Some(n)),
            orphan: false,
        });
    }
    for _ in names.len()..2 {
        out.push(Line {
            role: SignRole::Assessor,
            name: String::new(),
            signed: None,
            orphan: false,
        });
    }
    for a in signatures.iter().filter(|a| a.role == Some(SignRole::Assessor)) {
        if !names.contains(&a.signer.trim()) {
            out.push(Line {
                role: SignRole::Assessor,
                name: a.signer.trim().to_string(),
                signed: Some(signed(a)),
                orphan: true,
            });
        }
    }
    out.push(Line {
        role: SignRole::Head,
        name: h.head_name().trim().to_string(),
        signed: of(SignRole::Head, None),
        orphan: false,
    });
    out
}

/// The section 签字 of the form.
#[component]
pub fn SignaturesSection() -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let writable = use_context::<Writable>().is_none_or(|w| w.0);
    let all = Memo::new(move |_| record.with(lines));
    // The line whose pad is open.
    let open = RwSignal::new(None::<(SignRole, String)>);
    let pad = move || {
        open.get().map(|(role, name)| {
            view! { <SignaturePad role=role signer=name on_close=move |()| open.set(None)/> }
        })
    };
    view! {
        <section class="form-section card sign-section" id="f-signatures" aria-labelledby="sign-h">
            <h2 id="sign-h">"签字"</h2>
            <p class="muted small">"由本人在手机上签名。签字后再修改记录，签名旁会标出“签字后有修改”，请重新签字。"</p>
            <fieldset class="sign-lines" disabled=!writable>
                {move || all.get().into_iter().map(|line| view! { <SignLine line=line open=open/> }).collect_view()}
                {pad}
            </fieldset>
        </section>
    }
}

/// One line: the role, the name, and the signature or 签字.
#[component]
fn SignLine(line: Line, open: RwSignal<Option<(SignRole, String)>>) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let snackbar = use_context::<Snackbar>().unwrap_or_default();
    let Line { role, name, signed, orphan } = line;
    let label = match role {
        SignRole::Surveyor => "本户排查人",
        SignRole::Assessor => "风险研判人",
        SignRole::Head => "户主（可选）",
    };
    let who = if name.is_empty() { "（未填写）".to_string() } else { name.clone() };
    let key = (role, name.clone());
    let opening = {
        let key = key.clone();
        move || open.with(|o| o.as_ref() == Some(&key))
    };
    let sign = {
        let key = key.clone();
        move |_| open.set(Some(key.clone()))
    };
    let can_sign = !name.is_empty();
    let body = match signed {
        Some(s) => {
            let id = s.id;
            let remove = move |_| {
                let Some((at, kept)) = record.with_untracked(|h| {
                    h.attachments.iter().position(|a| a.id == id).map(|i| (i, h.attachments[i].clone()))
                }) else {
                    return;
                };
                record.update(|h| h.attachments.retain(|a| a.id != id));
                snackbar.offer_undo("已删除签名", move |h| {
                    if !h.attachments.iter().any(|a| a.id == kept.id) {
                        h.attachments.insert(at.min(h.attachments.len()), kept.clone());
                    }
                });
            };
            let alt = format!("{}的签名", s.signer);
            let other_signer = (!s.signer.trim().is_empty() && s.signer.trim() != name)
                .then(|| format!("签名人：{}", s.signer));
            view! {
                <div class="sign-shown">
                    {match s.src {
                        Some(src) => view! { <img class="sign-img" src=src alt=alt/> }.into_any(),
                        None => view! { <span class="alert">"签名数据无法显示"</span> }.into_any(),
                    }}
                    {other_signer.map(|t| view! { <span class="muted small">{t}</span> })}
                    {s.stale.then(|| view! { <span class="sign-stale" data-testid="sign-stale">"签字后有修改"</span> })}
                </div>
                <div class="button-row">
                    {(can_sign && !orphan).then(|| view! {
                        <button type="button" class="button small" on:click=sign.clone()>"重新签字"</button>
                    })}
                    <button type="button" class="button small" on:click=remove>"删除签名"</button>
                </div>
            }
            .into_any()
        }
        None if can_sign => view! {
            <div class="button-row">
                <button type="button" class="button small" data-action="sign" on:click=sign>"签字"</button>
            </div>
        }
        .into_any(),
        None => view! {
            <p class="muted small">{match role {
                SignRole::Head => "尚未填写户主",
                _ => "请先在“一、基本信息”中填写姓名",
            }}</p>
        }
        .into_any(),
    };
    view! {
        <div class="sign-entry" data-sign=role.code() data-signer=name.clone() class:open=opening>
            <p class="sign-who">
                <span class="sign-role">{label}"："</span>
                <span class="sign-name">{who}</span>
                {orphan.then(|| view! { <span class="muted small">"（签名人已不在研判人名单中）"</span> })}
            </p>
            {body}
        </div>
    }
}
