//! The signature pad (签名板): a canvas the signer writes on with a finger, a stylus or a
//! mouse, and the signature it makes, stored in the record.
//!
//! # Input
//!
//! Pointer events on the `<canvas>` (`pointerdown`, `pointermove`, `pointerup`,
//! `pointercancel`): one API for touch, pen and mouse. `pointerdown` captures the pointer
//! (`setPointerCapture`), so a stroke that leaves the box still ends where it should and its
//! points stay relative to the canvas. The canvas has `touch-action: none` (`style/form.css`,
//! `.sign-canvas`; the pages' CSP allows no style attributes), so that a finger draws
//! instead of scrolling the page. Only the primary pointer draws (a second finger or a palm
//! does not start another stroke); a mouse draws with its main button only. Points are CSS
//! pixels of the canvas; a move under one pixel from the last point is not kept.
//!
//! The canvas' backing store is its CSS size times `devicePixelRatio` (sharp on a phone's
//! screen), fitted when the pad opens and again when a stroke starts on a canvas whose size
//! changed (the phone turned).
//!
//! # Drawing and smoothing
//!
//! While a stroke is drawn its new segment is drawn at once (a straight line from the last
//! point, so the ink follows the finger with no delay). When the stroke ends, and after
//! 撤销一笔 / 重做 / 清除, the canvas is drawn again from the strokes with the same smoothing the
//! stored SVG has: quadratic Bézier curves through the midpoints of successive points, the
//! points themselves as control points (`ruhu_core::evidence::signature_svg`) — what is on the
//! pad is what is stored and printed.
//!
//! # Buttons
//!
//! 撤销一笔 takes back the last stroke, 重做 puts it back (every stroke taken back, in order,
//! until a new stroke is drawn), 清除 starts again, 确认签名 stores the signature (only when
//! there is a stroke), 取消 closes the pad and stores nothing. Strokes not yet confirmed live
//! only in the pad (not in the journal): a reload while signing asks for the signature again.
//!
//! # What is stored, and why vector SVG
//!
//! The signature is the SVG of `evidence::signature_svg` (paths with rounded coordinates and a
//! `viewBox`) of the strokes moved into the box around them plus a 4 px margin ([`cropped`]):
//! the image is the signature, not the pad's empty space, so that it fills its line in print
//! and on the form. It is kept **inline in the record** as an [`Attachment`]: `kind:
//! signature`, `mime: image/svg+xml`, `data` the base64 of the SVG, `sha256` of the SVG's
//! bytes, `bytes`, `path: "signatures"`, `role`, `signer`, `taken_at` (now, with the device's
//! offset) and `signed_digest` = `evidence::content_digest` of the record at that moment (what
//! the digest covers is written in `ruhu_core::evidence`). A signature is a few KB of text, so
//! it travels with the record through the editor's normal save (one `record.update`: the
//! autosave, the journal, the history, exports) and needs no blob store. Vector, not a bitmap:
//! a PNG of the pad at phone resolution is tens of KB and memory-heavy to decode (Enketo's
//! signatures, enketo#1391), and it prints blurred when scaled to the line; the SVG is a few KB
//! and is sharp at any size on paper.
//!
//! Signing again replaces the signature of that role (for 风险研判人: of that role and signer),
//! [`put_signature`].

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::core::evidence::{new_signature, signature_svg, Stroke, SIGNATURE_STROKE_WIDTH};
use crate::core::record::{Attachment, AttachmentKind, Household, SignRole};
use crate::ui::clock;
use crate::ui::editor::Editing;

/// Whether `a` is the signature of `role` that a new one by `signer` replaces: the same role,
/// and for 风险研判人 also the same signer (each assessor signs for themselves).
pub fn replaces(a: &Attachment, role: SignRole, signer: &str) -> bool {
    a.kind == Some(AttachmentKind::Signature)
        && a.role == Some(role)
        && (role != SignRole::Assessor || a.signer.trim() == signer.trim())
}

/// Puts a signature of `role` by `signer` (its SVG text, signed at `taken_at`) into the
/// record, with the record's content digest of now (`evidence::new_signature`), replacing
/// every signature it re-signs ([`replaces`]) in the place of the first; returns its id.
pub fn put_signature(
    h: &mut Household,
    role: SignRole,
    signer: &str,
    svg: &str,
    taken_at: String,
) -> Uuid {
    let id = Uuid::new_v4();
    let attachment = new_signature(id, role, signer, svg, h, Some(taken_at));
    let at = h.attachments.iter().position(|a| replaces(a, role, signer));
    h.attachments.retain(|a| !replaces(a, role, signer));
    match at {
        Some(i) => h.attachments.insert(i.min(h.attachments.len()), attachment),
        None => h.attachments.push(attachment),
    }
    id
}

/// The margin around a signature's strokes in its SVG, pad pixels (room for the pen's width).
const MARGIN: f32 = 4.0;

/// The strokes moved to the box around them plus [`MARGIN`], and that box's size: the SVG of
/// a signature is the signature, not the pad's empty space, so it fills its line in print.
pub fn cropped(strokes: &[Stroke]) -> (Vec<Stroke>, u32, u32) {
    let all =
        strokes.iter().flat_map(|s| s.points.iter()).filter(|p| p.0.is_finite() && p.1.is_finite());
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in all {
        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
    }
    if x0 > x1 {
        return (Vec::new(), 1, 1);
    }
    let moved = strokes
        .iter()
        .map(|s| Stroke {
            points: s.points.iter().map(|&(x, y)| (x - x0 + MARGIN, y - y0 + MARGIN)).collect(),
        })
        .collect();
    let size = |d: f32| (d + 2.0 * MARGIN).ceil() as u32;
    (moved, size(x1 - x0), size(y1 - y0))
}

/// The pointer being drawn with and its stroke's points so far.
#[derive(Default)]
struct Drawing {
    pointer: Option<i32>,
    points: Vec<(f32, f32)>,
    /// The canvas' CSS size the backing store was fitted to.
    size: (u32, u32),
}

/// The 2D context of the pad's canvas.
fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas.get_context("2d").ok().flatten()?.dyn_into().ok()
}

/// Fits the backing store to the canvas' CSS size × devicePixelRatio; its CSS size.
fn fit(canvas: &web_sys::HtmlCanvasElement) -> (u32, u32) {
    let (w, h) = (canvas.client_width().max(1) as u32, canvas.client_height().max(1) as u32);
    let ratio = window().device_pixel_ratio().clamp(1.0, 4.0);
    canvas.set_width((w as f64 * ratio).round() as u32);
    canvas.set_height((h as f64 * ratio).round() as u32);
    if let Some(ctx) = context(canvas) {
        let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    }
    (w, h)
}

/// The pen: round ends and joins, dark ink.
fn pen(ctx: &web_sys::CanvasRenderingContext2d) {
    ctx.set_line_width(SIGNATURE_STROKE_WIDTH as f64);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    ctx.set_stroke_style_str("#111");
    ctx.set_fill_style_str("#111");
}

/// A dot where a stroke starts (and a stroke of one point).
fn dot(ctx: &web_sys::CanvasRenderingContext2d, (x, y): (f32, f32)) {
    ctx.begin_path();
    let _ = ctx.arc(
        x as f64,
        y as f64,
        SIGNATURE_STROKE_WIDTH as f64 / 2.0,
        0.0,
        std::f64::consts::TAU,
    );
    ctx.fill();
}

/// The strokes drawn again, smoothed as the stored SVG is (quadratic curves through the
/// midpoints, the points as control points).
fn redraw(canvas: &web_sys::HtmlCanvasElement, strokes: &[Stroke]) {
    let Some(ctx) = context(canvas) else { return };
    ctx.save();
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    ctx.restore();
    pen(&ctx);
    for s in strokes {
        let p = &s.points;
        match p.len() {
            0 => {}
            1 => dot(&ctx, p[0]),
            n => {
                ctx.begin_path();
                ctx.move_to(p[0].0 as f64, p[0].1 as f64);
                let first = ((p[0].0 + p[1].0) / 2.0, (p[0].1 + p[1].1) / 2.0);
                ctx.line_to(first.0 as f64, first.1 as f64);
                for i in 1..n - 1 {
                    let (c, next) = (p[i], p[i + 1]);
                    let mid = ((c.0 + next.0) / 2.0, (c.1 + next.1) / 2.0);
                    ctx.quadratic_curve_to(c.0 as f64, c.1 as f64, mid.0 as f64, mid.1 as f64);
                }
                ctx.line_to(p[n - 1].0 as f64, p[n - 1].1 as f64);
                ctx.stroke();
            }
        }
    }
}

/// The point of a pointer event in the canvas' CSS pixels, kept inside the canvas.
fn point(ev: &web_sys::PointerEvent, size: (u32, u32)) -> (f32, f32) {
    let x = (ev.offset_x() as f32).clamp(0.0, size.0 as f32);
    let y = (ev.offset_y() as f32).clamp(0.0, size.1 as f32);
    (x, y)
}

/// The pad for `signer` signing as `role`; stores the signature in the record on 确认签名 and
/// calls `on_close` then, and on 取消.
#[component]
pub fn SignaturePad(
    role: SignRole,
    #[prop(into)] signer: String,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let Editing { record, .. } = expect_context::<Editing>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let strokes = RwSignal::new(Vec::<Stroke>::new());
    let undone = RwSignal::new(Vec::<Stroke>::new());
    let drawing = send_wrapper::SendWrapper::new(Rc::new(RefCell::new(Drawing::default())));
    let drawing = StoredValue::new(drawing);
    let with_drawing = move |f: &mut dyn FnMut(&mut Drawing)| {
        drawing.with_value(|d| f(&mut d.borrow_mut()));
    };

    // Fitted when mounted, and drawn again whenever the strokes change.
    Effect::new(move |_| {
        let Some(c) = canvas.get() else { return };
        let fitted = with_drawing_size(&with_drawing);
        if fitted == (0, 0) {
            let size = fit(&c);
            with_drawing(&mut |d| d.size = size);
            // The pad, opened under the lines, comes into view whole.
            if let Some(pad) = c.parent_element() {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                pad.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        }
        strokes.with(|s| redraw(&c, s));
    });

    let down = move |ev: web_sys::PointerEvent| {
        if !ev.is_primary() || (ev.pointer_type() == "mouse" && ev.button() != 0) {
            return;
        }
        let Some(c) = canvas.get_untracked() else { return };
        ev.prevent_default();
        let _ = c.set_pointer_capture(ev.pointer_id());
        // The canvas changed size (the phone turned): fit it again and draw what there is.
        let now = (c.client_width().max(1) as u32, c.client_height().max(1) as u32);
        if with_drawing_size(&with_drawing) != now {
            let size = fit(&c);
            with_drawing(&mut |d| d.size = size);
            strokes.with_untracked(|s| redraw(&c, s));
        }
        with_drawing(&mut |d| {
            let p = point(&ev, d.size);
            d.pointer = Some(ev.pointer_id());
            d.points = vec![p];
            if let Some(ctx) = context(&c) {
                pen(&ctx);
                dot(&ctx, p);
            }
        });
    };
    let moved = move |ev: web_sys::PointerEvent| {
        let Some(c) = canvas.get_untracked() else { return };
        with_drawing(&mut |d| {
            if d.pointer != Some(ev.pointer_id()) {
                return;
            }
            ev.prevent_default();
            let p = point(&ev, d.size);
            let Some(&last) = d.points.last() else { return };
            if (p.0 - last.0).abs() < 1.0 && (p.1 - last.1).abs() < 1.0 {
                return;
            }
            d.points.push(p);
            if let Some(ctx) = context(&c) {
                pen(&ctx);
                ctx.begin_path();
                ctx.move_to(last.0 as f64, last.1 as f64);
                ctx.line_to(p.0 as f64, p.1 as f64);
                ctx.stroke();
            }
        });
    };
    let up = move |ev: web_sys::PointerEvent| {
        let mut done = None;
        with_drawing(&mut |d| {
            if d.pointer == Some(ev.pointer_id()) {
                d.pointer = None;
                done = Some(std::mem::take(&mut d.points));
            }
        });
        if let Some(points) = done.filter(|p| !p.is_empty()) {
            strokes.update(|s| s.push(Stroke { points }));
            undone.set(Vec::new());
        }
    };

    let undo = move |_| {
        if let Some(last) = strokes.try_update(|s| s.pop()).flatten() {
            undone.update(|u| u.push(last));
        }
    };
    let redo = move |_| {
        if let Some(next) = undone.try_update(|u| u.pop()).flatten() {
            strokes.update(|s| s.push(next));
        }
    };
    let clear = move |_| {
        strokes.set(Vec::new());
        undone.set(Vec::new());
    };
    let signer_name = signer.clone();
    let confirm = move |_| {
        let (moved, w, h) = strokes.with_untracked(|s| cropped(s));
        let svg = signature_svg(&moved, w, h);
        let taken_at = clock::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        record.update(|h| {
            put_signature(h, role, &signer_name, &svg, taken_at);
        });
        on_close.run(());
    };
    let cancel = move |_| on_close.run(());
    let empty = move || strokes.with(Vec::is_empty);
    let title = format!("{}：{}", role.label(), signer.trim());
    view! {
        <div class="sign-pad" data-testid="sign-pad" data-role=role.code()>
            <p class="sign-pad-title">{title}" · 请在框内签名"</p>
            <canvas node_ref=canvas class="sign-canvas" aria-label="签名框，请用手指在框内签名"
                on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up></canvas>
            <div class="button-row">
                <button type="button" class="button small" disabled=move || strokes.with(Vec::is_empty) on:click=undo>"撤销一笔"</button>
                <button type="button" class="button small" disabled=move || undone.with(Vec::is_empty) on:click=redo>"重做"</button>
                <button type="button" class="button small" disabled=empty on:click=clear>"清除"</button>
            </div>
            <div class="button-row">
                <button type="button" class="button primary" disabled=empty on:click=confirm>"确认签名"</button>
                <button type="button" class="button" on:click=cancel>"取消"</button>
            </div>
        </div>
    }
}

fn with_drawing_size(with_drawing: &impl Fn(&mut dyn FnMut(&mut Drawing))) -> (u32, u32) {
    let mut size = (0, 0);
    with_drawing(&mut |d| size = d.size);
    size
}
