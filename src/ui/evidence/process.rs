//! A picked photo made into what is stored: decoded at reduced size, JPEG at [`QUALITY`].
//!
//! 1. The file's first 128 KB are read and, for a JPEG, its size (the SOF marker) and EXIF
//!    orientation found ([`jpeg_size`]): so the decoder can be asked for the reduced size
//!    straight away (`createImageBitmap(file, { resizeWidth, resizeHeight, resizeQuality:
//!    "high" })`), and the full 12-megapixel bitmap (48 MB) is never made. Other images (PNG,
//!    HEIC where the browser reads it) are decoded whole first, then drawn smaller.
//! 2. The bitmap is drawn on an `OffscreenCanvas` (a `<canvas>` where there is none) of at most
//!    [`LONG_EDGE`] px on its long edge, and encoded `image/jpeg` at [`QUALITY`]: a new file
//!    with no EXIF at all (no GPS, no camera, no orientation: the pixels are upright). A photo
//!    still over [`MAX_STORED`] (400 KB: a detailed scene) is encoded again at lower qualities
//!    ([`LOWER`]) until it fits.
//! 3. The bitmap is closed at once (its memory goes back before the next photo).
//!
//! Every step is a browser call through `js_sys::Reflect` (no extra `web-sys` features).

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The long edge of a stored photo, at most.
pub const LONG_EDGE: u32 = 1600;
/// The JPEG quality of a stored photo.
pub const QUALITY: f64 = 0.8;
/// The most a stored photo may take (issue 15's budget). A detailed scene (foliage, a crowd of
/// small things) can come out larger at [`QUALITY`]; it is encoded again at [`LOWER`] qualities,
/// in order, until it fits (the last one is kept whatever its size).
pub const MAX_STORED: usize = 400 * 1024;
/// The qualities tried after [`QUALITY`] when a photo is over [`MAX_STORED`].
pub const LOWER: [f64; 3] = [0.7, 0.6, 0.5];

/// A photo ready to store.
pub struct Prepared {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The size to draw `w`×`h` at: the long edge at most [`LONG_EDGE`], the ratio kept.
pub fn fit(w: u32, h: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= LONG_EDGE || long == 0 {
        return (w.max(1), h.max(1));
    }
    let scale = LONG_EDGE as f64 / long as f64;
    (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1))
}

/// The pixel size of a JPEG as it shows (EXIF orientations 5–8 swap width and height), from
/// its first bytes: `None` when it is not a JPEG or the frame header is not among them.
pub fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return None;
    }
    let mut at = 2;
    let mut swap = false;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1;
            continue;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        let body = bytes.get(at + 4..at + 2 + len);
        match marker {
            0xE1 => {
                if let Some(o) = body.and_then(exif_orientation) {
                    swap = (5..=8).contains(&o);
                }
            }
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let b = body?;
                if b.len() < 5 {
                    return None;
                }
                let h = u16::from_be_bytes([b[1], b[2]]) as u32;
                let w = u16::from_be_bytes([b[3], b[4]]) as u32;
                return Some(if swap { (h, w) } else { (w, h) });
            }
            0xD9 | 0xDA => return None,
            _ => {}
        }
        at += 2 + len;
    }
    None
}

/// The orientation tag (0x0112) of an APP1 `Exif` body.
fn exif_orientation(b: &[u8]) -> Option<u16> {
    let tiff = b.strip_prefix(b"Exif\0\0")?;
    let le = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |i: usize| -> Option<u16> {
        let s = tiff.get(i..i + 2)?;
        Some(if le { u16::from_le_bytes([s[0], s[1]]) } else { u16::from_be_bytes([s[0], s[1]]) })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let s = tiff.get(i..i + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if le { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) })
    };
    let ifd = u32_at(4)? as usize;
    let n = u16_at(ifd)? as usize;
    (0..n)
        .map(|k| ifd + 2 + 12 * k)
        .find(|&e| u16_at(e) == Some(0x0112))
        .and_then(|e| u16_at(e + 8))
}

fn js_err(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

fn call(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &JsValue::from_str(name))
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| format!("浏览器不支持 {name}"))?;
    let list: Array = args.iter().copied().collect();
    f.apply(target, &list).map_err(js_err)
}

async fn wait(p: JsValue) -> Result<JsValue, String> {
    JsFuture::from(Promise::from(p)).await.map_err(js_err)
}

fn num(v: &JsValue, name: &str) -> u32 {
    Reflect::get(v, &JsValue::from_str(name)).ok().and_then(|n| n.as_f64()).unwrap_or(0.0) as u32
}

/// Decodes, shrinks and re-encodes a picked photo (module docs). The error is Chinese.
pub async fn prepare(file: &web_sys::Blob) -> Result<Prepared, String> {
    let not_image = |e: String| format!("无法读取这张照片（{e}），请换一张或重拍");
    let global = js_sys::global();
    let head = file.slice_with_i32_and_i32(0, 128 * 1024).map_err(js_err)?;
    let head = Uint8Array::new(&wait(head.array_buffer().into()).await?).to_vec();
    let planned = jpeg_size(&head).map(|(w, h)| fit(w, h));
    let bitmap = match planned {
        Some((w, h)) => {
            let options = Object::new();
            let set = |k: &str, v: JsValue| Reflect::set(&options, &JsValue::from_str(k), &v);
            set("resizeWidth", JsValue::from(w)).map_err(js_err)?;
            set("resizeHeight", JsValue::from(h)).map_err(js_err)?;
            set("resizeQuality", JsValue::from_str("high")).map_err(js_err)?;
            let b = wait(call(&global, "createImageBitmap", &[file, &options])?)
                .await
                .map_err(not_image)?;
            // A browser that sizes before it turns the picture upright gives the other shape:
            // then decode it whole and draw it smaller.
            if (num(&b, "width"), num(&b, "height")) == (w, h) {
                b
            } else {
                let _ = call(&b, "close", &[]);
                wait(call(&global, "createImageBitmap", &[file])?).await.map_err(not_image)?
            }
        }
        None => wait(call(&global, "createImageBitmap", &[file])?).await.map_err(not_image)?,
    };
    let result = draw(&global, &bitmap).await;
    let _ = call(&bitmap, "close", &[]);
    result
}

/// The bitmap drawn at [`fit`] of its size and encoded as JPEG.
async fn draw(global: &JsValue, bitmap: &JsValue) -> Result<Prepared, String> {
    let (w, h) = fit(num(bitmap, "width"), num(bitmap, "height"));
    let offscreen = Reflect::get(global, &JsValue::from_str("OffscreenCanvas")).map_err(js_err)?;
    let canvas: JsValue = if let Some(ctor) = offscreen.dyn_ref::<Function>() {
        Reflect::construct(ctor, &Array::of2(&w.into(), &h.into())).map_err(js_err)?
    } else {
        let document = web_sys::window().and_then(|w| w.document()).ok_or("没有页面")?;
        let c: JsValue = document.create_element("canvas").map_err(js_err)?.into();
        Reflect::set(&c, &"width".into(), &w.into()).map_err(js_err)?;
        Reflect::set(&c, &"height".into(), &h.into()).map_err(js_err)?;
        c
    };
    let ctx = call(&canvas, "getContext", &[&"2d".into()])?;
    if ctx.is_null() || ctx.is_undefined() {
        return Err("浏览器无法处理照片（没有画布）".into());
    }
    Reflect::set(&ctx, &"imageSmoothingQuality".into(), &"high".into()).map_err(js_err)?;
    call(&ctx, "drawImage", &[bitmap, &0.into(), &0.into(), &w.into(), &h.into()])?;
    let mut bytes = encode(&canvas, offscreen.is_function(), QUALITY).await?;
    for q in LOWER {
        if bytes.len() <= MAX_STORED {
            break;
        }
        bytes = encode(&canvas, offscreen.is_function(), q).await?;
    }
    // Release the canvas's pixels now (not at the next collection).
    let _ = Reflect::set(&canvas, &"width".into(), &0.into());
    Ok(Prepared { bytes, width: w, height: h })
}

/// The canvas encoded as JPEG at `quality` (through `convertToBlob` on an `OffscreenCanvas`,
/// `toDataURL` on a `<canvas>`).
async fn encode(canvas: &JsValue, offscreen: bool, quality: f64) -> Result<Vec<u8>, String> {
    if offscreen {
        let options = Object::new();
        Reflect::set(&options, &"type".into(), &"image/jpeg".into()).map_err(js_err)?;
        Reflect::set(&options, &"quality".into(), &quality.into()).map_err(js_err)?;
        let blob = wait(call(canvas, "convertToBlob", &[&options])?).await?;
        let blob: web_sys::Blob = blob.dyn_into().map_err(|_| "照片编码失败".to_string())?;
        Ok(Uint8Array::new(&wait(blob.array_buffer().into()).await?).to_vec())
    } else {
        let url = call(canvas, "toDataURL", &[&"image/jpeg".into(), &quality.into()])?;
        let url = url.as_string().unwrap_or_default();
        let data = url.split_once(',').map(|(_, d)| d).unwrap_or_default();
        crate::core::evidence::base64_decode(data).ok_or_else(|| "照片编码失败".to_string())
    }
}
